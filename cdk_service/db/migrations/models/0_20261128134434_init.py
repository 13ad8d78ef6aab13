from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "audit_entries" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "actor" VARCHAR(256) NOT NULL,
    "action" VARCHAR(64) NOT NULL,
    "target_kind" VARCHAR(64) NOT NULL,
    "target_id" VARCHAR(256) NOT NULL,
    "details" JSONB NOT NULL,
    "at" TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS "idx_audit_entri_action_7b2c7c" ON "audit_entries" ("action");
CREATE INDEX IF NOT EXISTS "idx_audit_entri_at_55c728" ON "audit_entries" ("at");
CREATE INDEX IF NOT EXISTS "idx_audit_entri_target__06029d" ON "audit_entries" ("target_kind", "target_id");
COMMENT ON TABLE "audit_entries" IS 'One recorded action; ``actor`` is a user, or ``system`` for the service itself.';
CREATE TABLE IF NOT EXISTS "target_accounts" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "account" VARCHAR(12) NOT NULL,
    "region" VARCHAR(32) NOT NULL,
    "deploy_role_arn" VARCHAR(2048) NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    CONSTRAINT "uid_target_acco_account_7d783c" UNIQUE ("account", "region")
);
COMMENT ON COLUMN "target_accounts"."account" IS '12-digit AWS account id';
COMMENT ON TABLE "target_accounts" IS 'An AWS account and region that stacks deploy into, through a deploy role.';
CREATE TABLE IF NOT EXISTS "teams" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "slug" VARCHAR(63) NOT NULL UNIQUE,
    "name" VARCHAR(200) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE "teams" IS 'A data team; its slug is also the identity group its members carry.';
CREATE TABLE IF NOT EXISTS "templates" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "name" VARCHAR(63) NOT NULL UNIQUE,
    "title" VARCHAR(200) NOT NULL,
    "description" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE "templates" IS 'A named template; title and description follow its newest version.';
CREATE TABLE IF NOT EXISTS "template_versions" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "version" VARCHAR(64) NOT NULL,
    "title" VARCHAR(200) NOT NULL,
    "description" TEXT NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "params_schema" JSONB NOT NULL,
    "outputs" JSONB NOT NULL,
    "constraints" JSONB NOT NULL,
    "code_digest" VARCHAR(64) NOT NULL,
    "previous_code_digest" VARCHAR(64),
    "code_changed_at" TIMESTAMPTZ,
    "code_available" BOOL NOT NULL,
    "published_at" TIMESTAMPTZ,
    "published_by" VARCHAR(256),
    "deprecated_at" TIMESTAMPTZ,
    "deprecated_by" VARCHAR(256),
    "retired_at" TIMESTAMPTZ,
    "retired_by" VARCHAR(256),
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "template_id" INT NOT NULL REFERENCES "templates" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_template_ve_templat_25dc85" UNIQUE ("template_id", "version")
);
COMMENT ON COLUMN "template_versions"."status" IS 'DRAFT: draft\nPUBLISHED: published\nDEPRECATED: deprecated\nRETIRED: retired';
COMMENT ON TABLE "template_versions" IS 'One version of a template: its schema, code digest, status and constraints.';
CREATE TABLE IF NOT EXISTS "aerich" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "version" VARCHAR(255) NOT NULL,
    "app" VARCHAR(100) NOT NULL,
    "content" JSONB NOT NULL
);"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        """


MODELS_STATE = (
    "eJztXG1v4jgQ/itWPu1J3apA3657OglaesttW1aUfdG+KDWJCVYTm3WcdtFe//vZTgJ5Iy"
    "QIKGXzqWU84zjPeDyP7YFfmkNNZLv7Tc/EvE04m2hn4JdGoIPEPxmte0CD4/GsTQo4HNhK"
    "HUo9HQlFjFQLHLicQYOLxiG0XSREJnINhsccUyJNugQBhgzKTGQCoSnEb8DdnfiPsrs7gF"
    "0AgecitgcoE3J34nLkiIah+MhHCIimB2wggLmL7OG+fKhJDfFUTKw19e8R/MNDOqcWEhpM"
    "POXrdyHGxEQ/xWuLj18FJEy06vdC6COkPmJT+y5Vx/f6ECPbjGGNlaaS63wyVrIWtjqEXy"
    "pd+WYD3aC255CZ/njCR5RMDTDhUmohghjkSD6BM0/iTjzbDvwUusJ/kZmK/wYRGxMNoWdL"
    "70lrfwAzmabrN92+ftvu67qW8mxoEXFGIDIokbNCDNVVAFhyCK//rNcbjZP6QeP49Ojw5O"
    "To9OBU6KrxpptOnvzBzNDyu1KYdf7p3PTlgKiYev7ElIInZQM59K2Uo2boqwmRdsD5CLJs"
    "+KcGCQ+IV0t6IMQ7zwWhYOaDWcBswgkO/KnbiFh8JD7Wj45zAP7Y7J2/bfZeCa0/4jDfBE"
    "11v00iHkNYDqocxIHFujDe6DyPQXx8WADh48O5AMumOL6JJacoyAmzHZzNa4M6a8VeCHTm"
    "sr0LMK9l0TARh9hnGXGc/73t3mTjHDFJoGxig4P/gI3dVJJcFdraX0OPqGULDDxsc0zcff"
    "nYv7U1+SAHcgmR7Nlx3R92FOlX183PSSecX3VbCjLqcoupXlQHreQqztO+uBAgcuygOas4"
    "z3JFYLIf/vMC13OGoNkl9iR4bo4n+p3r9m2/ef0+5o6LZr8tW+pKOklIXyXjZNoJ+NTpvw"
    "XyI/jSvWknvTbV63/R5Jigx6lO6KMOzQhEoTSE8Uny0uF9hBtJwQAa94+QmXqqhdbpPN10"
    "k1N3khJIoKVcJsGVwwy2Gn21SjYNg3qEaxl7kbhC7nYkWHGhr1twQ9IkoPnpFgRGABJT7B"
    "8sGdB8BDlwuXhNF5hobNMJEHOB7okGRj1rJHYSgZhRG6W3IivtOWMT8lWDM1T8nv3tRmRn"
    "Umr38btsPeq1w5PD08bx4XTHMZXkbTSKbCqm/ijOeacm28wRtFr9tYktzGNT2p8XZYlDrV"
    "6AN9Tqc2mDbIonqWDyl4B9ZrHNqC/JzBpFAG7MB7iRAthfjXS5GumQlUI6w3QHIa8fHJ4W"
    "YcNCbT4dVo1x4NXfEmiH+jsJ8UEhhA9yAD5I4msIUifw0MvT3LjlZujuZtGv+O46+C6CTi"
    "bNlfJ8dis0inJaICkKkBZv5Ek2cG3PUmfftkvVMTc2EeGYT4AlCOdY6TjIGSDmAgMyNslg"
    "s6vpc/FhekVZN0lZpRfLJJhQfzUJ5nmhjZ8aNoqcGjbmnxo2qtxd5e5tQb/K3WvJ3c7YFp"
    "MgO38HbQtyuK9VOI/Lp5ggNHsDRH61kTpKiqiCIbVt+qgyLkGPyOXgQWRd0ZKVxlfRZZXF"
    "tyuLP2+q2eksrsKj1L1faFDl8WJ5PDqyFM599HPO2pAw2wm08/J0+3M//3Zvmqavujf/hO"
    "rJK7+KQlUUagGFmk2PIOVnXMe3AsvLdz0kaER2DCao0Ue/txc4F57C2R9KwzmxCbYZwpZD"
    "OiPILuaeetSrxQo2AwtAhwBOmeOZfwpkjJAD94AhHghMbAmmuCevNrnnKk4ZQTK7WHOFfW"
    "fekfIIMQ+eVd2SPitZfZjN1qKcKmKyE3l+7QVrFWmtSOuuklY/A2TP7jbxHIV8RwwREgOl"
    "D7Cn1psDXzMZHHKtHP7aRa952T8DyvYbef+hddW5fdu+OANjb2Bjd4TMb+Si/b7XPhecUo"
    "hNNGbIkEP/RnqCZPakkAn+zdBydRpF6jtr88s7a6nqzjFk0HF1P6+nHTi/xjNluPlKz+cJ"
    "oLXUdFKPjz1eqsg2YlIV2a7cIdHHl3BKwqxyzBocYyLd33mUYVMJs53I8uumrCJ3PWDquf"
    "qSmM+zXwr8YLv1u2CvIDNGkFjLnQWmzVdwILhlPngh538hJqkDwJS/4QPEPtYpd7cotREk"
    "Od6OGSecPRDW61rgwnOQzTq41e1exXzb6iT3KR+uW23BhpVThRLm/llRcBgSWeZC7r5EnC"
    "VtqyDb5iCbeWswKZXIEna7l8DW9M3BcPe7RGSljKvQ2ubQirirXGylDKvgKhRcwSnSEpEV"
    "t6zCapvDKvRVuZiKW1UBVSigqsKL+ejvVuFF1Ove2FzS63HLyuvb4vWMdTUYfeQyNiy8KF"
    "VNkLBaXFbwEpy8gsqCVCFTGug0ypeUIWyRd2iSuhzMr1l6gSDPK1YSYgYfp0UuyQkmMBBv"
    "jvxzi56Y873OucD7eSrtm4hhY6Rl/TSd37KX+7N0M51F5U3zUa1K3KuqoS2L7CQvPSrES4"
    "9yeOlR6kfbRFCVQDhQ30F0a4WKhmo5RUO1jG+sUcJR1u+D5N7xhiZVzUPJm9xn/drY0/9p"
    "PF7I"
)
