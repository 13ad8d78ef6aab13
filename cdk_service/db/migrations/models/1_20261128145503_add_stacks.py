from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "stacks" (
    "id" UUID NOT NULL PRIMARY KEY,
    "name" VARCHAR(63) NOT NULL,
    "team" VARCHAR(63) NOT NULL,
    "params" JSONB NOT NULL,
    "account" VARCHAR(12) NOT NULL,
    "region" VARCHAR(32) NOT NULL,
    "status" VARCHAR(24) NOT NULL,
    "live" BOOL,
    "cloudformation_stack_name" VARCHAR(128) NOT NULL,
    "cloudformation_stack_id" VARCHAR(256),
    "outputs" JSONB NOT NULL,
    "expires_at" TIMESTAMPTZ,
    "drift_status" VARCHAR(16) NOT NULL,
    "drift_checked_at" TIMESTAMPTZ,
    "created_by" VARCHAR(256) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "revision" INT NOT NULL,
    "template_version_id" INT NOT NULL REFERENCES "template_versions" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_stacks_team_767cfc" UNIQUE ("team", "account", "region", "name", "live")
);
CREATE INDEX IF NOT EXISTS "idx_stacks_team_e2f05f" ON "stacks" ("team");
CREATE INDEX IF NOT EXISTS "idx_stacks_expires_fbda8e" ON "stacks" ("expires_at");
CREATE INDEX IF NOT EXISTS "idx_stacks_created_df1bf4" ON "stacks" ("created_at", "id");
COMMENT ON COLUMN "stacks"."status" IS 'REQUESTED: requested\nPENDING_APPROVAL: pending_approval\nDEPLOYING: deploying\nACTIVE: active\nUPDATING: updating\nFAILED: failed\nDESTROYING: destroying\nDESTROYED: destroyed\nCANCELLED: cancelled';
COMMENT ON COLUMN "stacks"."live" IS 'TRUE until destroyed or cancelled, then NULL: unique with the name, so a name is taken once per team and target among live stacks only';
COMMENT ON COLUMN "stacks"."drift_status" IS 'NOT_CHECKED: not_checked\nIN_SYNC: in_sync\nDRIFTED: drifted\nUNKNOWN: unknown';
COMMENT ON COLUMN "stacks"."revision" IS 'Bumped on every write; writes name the revision they read';
COMMENT ON TABLE "stacks" IS 'One deployed (or requested) instance of a template version, owned by a team.';
        CREATE TABLE IF NOT EXISTS "deployments" (
    "id" UUID NOT NULL PRIMARY KEY,
    "kind" VARCHAR(16) NOT NULL,
    "status" VARCHAR(24) NOT NULL,
    "active" BOOL,
    "step" VARCHAR(24) NOT NULL,
    "requester" VARCHAR(256) NOT NULL,
    "idempotency_key" VARCHAR(128),
    "request_digest" VARCHAR(64) NOT NULL,
    "params" JSONB NOT NULL,
    "force" BOOL NOT NULL,
    "template_digest" VARCHAR(64),
    "preview" JSONB,
    "checkpoint" JSONB NOT NULL,
    "result" JSONB,
    "error" JSONB,
    "lease_owner" VARCHAR(256),
    "lease_expires_at" TIMESTAMPTZ,
    "attempts" INT NOT NULL,
    "approved_by" VARCHAR(256),
    "approved_at" TIMESTAMPTZ,
    "started_at" TIMESTAMPTZ,
    "finished_at" TIMESTAMPTZ,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "stack_id" UUID NOT NULL REFERENCES "stacks" ("id") ON DELETE RESTRICT,
    "template_version_id" INT NOT NULL REFERENCES "template_versions" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_deployments_stack_i_0bb415" UNIQUE ("stack_id", "active"),
    CONSTRAINT "uid_deployments_request_ec3d2d" UNIQUE ("requester", "idempotency_key")
);
CREATE INDEX IF NOT EXISTS "idx_deployments_status_46ff1c" ON "deployments" ("status", "lease_expires_at");
CREATE INDEX IF NOT EXISTS "idx_deployments_stack_i_516ea3" ON "deployments" ("stack_id", "created_at");
COMMENT ON COLUMN "deployments"."kind" IS 'CREATE: create\nUPDATE: update\nUPGRADE: upgrade\nDESTROY: destroy\nDRIFT_CHECK: drift_check';
COMMENT ON COLUMN "deployments"."status" IS 'QUEUED: queued\nPENDING_APPROVAL: pending_approval\nPREVIEWING: previewing\nAWAITING_EXECUTION: awaiting_execution\nEXECUTING: executing\nSUCCEEDED: succeeded\nFAILED: failed\nCANCELLED: cancelled';
COMMENT ON COLUMN "deployments"."active" IS 'TRUE until the status is final, then NULL: unique with the stack, so the database holds at most one active deployment per stack';
COMMENT ON COLUMN "deployments"."step" IS 'REQUESTED: requested\nSYNTHESIZED: synthesized\nASSETS_PUBLISHED: assets_published\nCHANGE_SET_CREATED: change_set_created\nEXECUTING: executing\nPOLLING: polling\nDESTROYING: destroying\nDRIFT_DETECTING: drift_detecting\nCOMPLETED: completed';
COMMENT ON COLUMN "deployments"."request_digest" IS 'SHA-256 of the request, to tell a retry from a reused key';
COMMENT ON COLUMN "deployments"."checkpoint" IS 'What a worker needs to resume (change set, detection ids)';
COMMENT ON TABLE "deployments" IS 'One attempt to bring a stack to a desired state, with its lease while a worker runs it.';
        CREATE TABLE IF NOT EXISTS "stack_events" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "event_id" VARCHAR(256) NOT NULL,
    "timestamp" TIMESTAMPTZ NOT NULL,
    "logical_id" VARCHAR(256) NOT NULL,
    "physical_id" TEXT,
    "resource_type" VARCHAR(256) NOT NULL,
    "status" VARCHAR(64) NOT NULL,
    "reason" TEXT,
    "recorded_at" TIMESTAMPTZ NOT NULL,
    "deployment_id" UUID NOT NULL REFERENCES "deployments" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_stack_event_deploym_8284eb" UNIQUE ("deployment_id", "event_id")
);
COMMENT ON TABLE "stack_events" IS 'A CloudFormation stack event copied while its deployment ran; ``id`` orders them.';"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP TABLE IF EXISTS "stack_events";
        DROP TABLE IF EXISTS "deployments";
        DROP TABLE IF EXISTS "stacks";"""


MODELS_STATE = (
    "eJztXf9z2rgS/1c0/HK9mVwnIemXl755M4S4Da8p5AFpe9fcOMIW4ImROdlOyrvX//2tJG"
    "P8PbYDBFz/0gZJK8uflVa70u7678bM0olpv2y5uuEo1GGLxin6u0HxjMAfCbUHqIHn81Ud"
    "L3DwyBTNMW+nEmhoEFGDR7bDsOZA5RibNoEindgaM+aOYVFO0qMEMaJZTCc6gpZQ/A7d3s"
    "JfFru9RYaNMHJtwg6QxaDcXtgOmUHFGH46U4Kg6t7QCDIcm5jjl/yhuqXBUw062VD/LjX+"
    "conqWBMCLRg85dufUGxQnXyH14af3wASBrXqHRRKhMRPQ2/8yZvO79SxQUw9hLUhWopy1V"
    "nMRdmZMelQ571oy99spGqW6c7oqv184Uwt6hMY1OGlE0IJww7hT3CYy3Gnrml6fFqyQr7I"
    "qol8gwCNTsbYNTn3OLUcwKqsoard3lAdKENVbcQ4u6QIMMMr0izKZwUM1RYATPgQfvtHs3"
    "l8/KZ5ePz67auTN29evT18C23FeONVb37IwazQkl0JzDofOt0hH5AFU09OTF7wQ9BgB0sq"
    "wagV+mJCxBnQnmKWDL9PEOEAvFqUA0u8s1iwLFjxYLVgtsGEGf6umoROnCn8bL56nQHw51"
    "a/fdHqv4BWv4Zh7npVTVnHEQ8hzAdVDGKPYlMYb3WehyB+fZID4dcnqQDzqjC+EZGTF+QI"
    "WQVn88agTpLYjwKdKLarAPNGhIZOHGxILSOM878HvW4yzgGSCMq6oTnof8g07NgmuS60G/"
    "8cu1SILTRyDdMxqP2SP/ZfjQ3xIANyDhHveWbbf5lBpF98an2NMqF92TsTkFm2M2GiF9HB"
    "WVSKO3FenAOIjjEjKVLcSWKFR/Jy+cceynNGsN6j5sJ7bgYnhp1PymDY+nQVYsd5a6jwmq"
    "YoXURKX0TXid8J+tIZXiD+E/3R6ypRrvnthn80+Jiw61gqtR5UrAcgWpYuYfzB9dLxXUA3"
    "4gUjrN09YKarsRqraaW1jVfNmrNoCaZ4IljGweXD9EyNczI3rcUMbIhGgiESqM00RHS/XQ"
    "EzBDug+s8d5FhoxDkPloHtwEvxAoyAwGBgQ0CRAx08GM6UGwXIJNgm6GFqmNADerDYHWGI"
    "udSG2mRzZEPPSTBLvjVExwICEEr3pAHYf4OJCw3BzhF7jqHDYCyHUG2h3pGFNFBCtgwfiS"
    "twFGNQyfc5jNBWYWGL7vxnaLAiYPWKikJmzvV157yAkeO6hv6S05QRGo/bOgEZLp7E/zl5"
    "DgEuZPWxlAPBFS5ePducSdcCFerOBNYdGAamGolhvg+qYKPdV0BQniI5527o9dW5+O3Ode"
    "/3h37rXBRMGNah5BykYr/3+ylfYQ6zFlDS77wfqu0Lpf0RSpkxdlRtSuRcLqr9HOVRfo7S"
    "dZ+jmOqzWnZlmLii3mk2/udauVbOTxE8xCX6Db1Suued7ge1dXXV731uXZ6iOaE6sEEFYc"
    "+se2xCm77yuaN8gWZQy8i9QR6gwQ1tfWl1hpxY+aq0r4edXvcU4QdsOJwcBq25/Kk31Kvm"
    "5F4ppx5ct9uKcs4HY7uaRojOx/O+1bnkRWNQKfnvdqvbVi5FkcZxN6G0zHRp5rFJmuk2ST"
    "Nmk3gCPjZdziwLxDZNt7AlUWSWjIAqxzTxZGehWbKUtwVmybB/rSCXOoYpz+TE3OZnd2OD"
    "YsAaCinqXl/CdJFDkdum11a7O0C2JX5xeTni++jUApEJOzGagVxFFt+VBRRopTnAzGPI39"
    "ueJMjPer3LkOp31okcUHWvP50pICAEw6GR4YTOrYJSgczLywRJuz2J4KsaesHts9FXQDQM"
    "hnyh+X3AIv29O7xQBp0/xDJdUOCpbfyX17QG0NNAvbo+u+wMLng1tm3i2OrcHYHBNxWL96"
    "LV/aCIR8rtg6/iKaYTokJT1VNf0gTEVe/yUsocyzRFibejiEJvU5HlYl85V4ZKW/Yi9xYw"
    "TIkm+2r3Pl1dKnIA1mxuEmdXxEhIN8x7tBEi2uX9ZpeONqKKdwG8E0hLoV5GfG8N9KPm2z"
    "wqVfNtuk7F6xKnt6obE2InHGU8OscDlLs80RuDi9ZvMOmQNRYbnzf6A25jOqC1gAnJiMMW"
    "aMysmfjh2mB0epPp+U9Y55jhWaFjvxXF9k/9Nrgmtn2+N7aYVlSL9GnKKZGlIPdLtov5Gj"
    "U5fghkAiolZFECafXk/waEijQWC0mVFcmTxMqOIb1tqSKOVeaW552QF/ww1f5e5jS+TMHS"
    "9A9tKSFge8JGDIC5M4JeSBsEgQ1ygDwjAR5p6PavT7Y8N8JNPm6zECdXFPUqKo87YSzJRy"
    "Uddp+gRr086vLSw3qgxWziCFn19ueNGMWxG6YY4tmXzUn0a7h63jFG7MlV8xKT2F1z2KFA"
    "3IYm2Hqpno9Bksf9H9elDRxualVJ/8fm0cmbk7fHr098t0e/JMvbMW5XyIsSoqujQmdKEb"
    "JaXuVzalyiVsIvJkxaS6ldllK2g5lTis1hyprLu8zlsUHFVVEJNkdIaz7vMp8DjkoF2Rym"
    "3I5T43b3zGp5NQa5Ll2DynA9TFlzfVe4nrDYvdGHdm7tLtFVP93rMEizTt/D3RXhj7oaJt"
    "xb3BNmwwgSsU213VKot2fGbT6S7UmWXMwNOzKT41C/txgxJvQjWcS8fyKoek7Ug2U/ewbv"
    "j+VcWpau5D7DD76rcWj1wtvDOxN5B9fn/jqd9rCROZ/XgPDQ6/LzqseKYp2ynFNgTw8pCB"
    "xy3y+99iM30B7d+499Ak9MDgwMznDlnuylFEmD/scmwy6kTEiIuPCFRXqwhVhvBeIspIsl"
    "0dELi62c+35FhreuuM8KRsuZhbyZdYD4WbqORgtRiWfJwRXr6vyG3tDbW/6njBLnTjTiMF"
    "9U/2Ij23QnB4ha/GJvLAUEd585RTMyG0GvU2POffuILV1sOL2GTZOwX+wbaugwNw1ngSbM"
    "cuf2AcJU956MZnjBnVHRiPBuoQZhfWZQNMU2vNDE4H52MFQDHsyD15n1kB7+wTsUjNE0y5"
    "WrgXch147gNN+iRGBILOwjbOoUDl2vYzrWHdOx5FfeE91l+132UyvrG3KcxzfkON035DgW"
    "0uutlPwuOLJ9BSPT145t7cz3XMG6K7GfP+eCT1JBuXHUzOVSnOFRHHconiTaDFmOxJNk5b"
    "UKAB/nAfg4HeDjGMA/RRhccrRLnmC4c+Xq0g9B4aqvDIVrDzuflVMvqMmLjhSNxFGmaBMN"
    "bUuNZpHlvKlXvNuBcGbxMDhzz4LgfD7wpFU+/JlxcBwdEQaHxZ/CpMF30NziRtHcs2uEHS"
    "ITlSA8s+gEcWhkFJwNTc2c4QHb8aDWTMvVwUiaieMAVZ77FNWSMzvZZaGxS2E1iSAWS4+T"
    "0UXti5LLF8VynbmbdHSWrmcHSPbXvXpn1e/ybozP4MC4TYNzf68X47fKMrb3aVpqtI8tBm"
    "hTy0t6UTxEm9eJ5BlcCQz0c0M7XXXwe7d9igwQ5AuqeSHRQoXkr8rbXHc/dntfulxTuQNs"
    "aRnlcf1JNwJZQEp5CiTR175Au7x+l8fcxbxlw1QVVBM3oqHUflfp6O+nB07td/Uzcj2P3x"
    "UPnE12p0j1DQqSbM8h6Kig2nPmzub85IUick/YAj0wwyHv5H+2PFyRGRfky/AfC8T5nFPD"
    "WXM4SO2u9UzuWrVf0U75FUVSgpZ3LgrnIK0I/pt3LpLuWGkeRr6z1iNuRurKPexxZ6MWav"
    "NDxffLQ0UvzaroAmnW3AAxLhOq8gSrgcxvDIuPRBj67S3iX45gwv8nweNoI09I9OTRQ7NO"
    "PMD/nETAbaeQi079dQlet42vS/j8ivEg3cQM0tQGZj4Dk5sBsARnCSkSsy2NEGEFDY39NS"
    "zi9qRpTQwNmwWXU5iqXlD5FtR8urBTwR6S7ym7R4SsChd4WStI+TrMvjzyF9Blr/th2Tx6"
    "oxRLsmO5TCMStQITPUZYz/V8cz3rDic1TmwPvIvK+oGuPf8aI9hOsoPT5ciKohYhZUSI/O"
    "5diZPXCGkFNaI9PXrNc+C+shULxr3GCOvg1+wzvrBV/sTTvUoeLB1EDvZiU6zwkd4mT6qG"
    "wvWx5fnAJxxWhRscZJ1Xed978xzq8x5ZUdT6MkAekXDHlP7iyOE5JD1HTAkiApQt7vTJLH"
    "cyFZ8OEsXMMknCUdU6e048oooHmT3pdOpnOZp64k1P1idNqxr90Thq/qYbE8MJTWmjlAN6"
    "HRKydyEhUhqpXBqpmBVCOoG0gpA3D0/yOHnzZukGsqgMA19HoAYgPsyF8GEGwIe1f9TPaq"
    "7FbIpn0nd5FHOSmrvMG5Cu3RIvQDfPNSxXUUR80TtxD8pTJ/AAJGguP8sVTocg2nhZFJCG"
    "GVskXbyupc8EPbZWWZ9RZeVcLHQA67VfzwbzvNBuOAi/3rvrvbveuyu1d0sXueT926t7ZA"
    "+XrXLv4/wpup886R2C/ZV/jZrqKNAUjS3TtB7EjkvJA7GdZZalpG18HV3Wu/hu7eLPu9VU"
    "ehcXy6MItj5BvY/n28eDI4vhnH5THSGrBNrbvq+uVahahcrw4Pe2/Ce671c3hmKjPvxR2D"
    "KUzgCyj+ueapCr+fKHehThTJ6n8hRIm5IZPkAaPBDJj2MeLD8Xz3XKAJLJ6UPX2HdKQs6V"
    "Yr6MC6pvSZ9TWU2NzkrXqQIkldjnN+33VyuttdJaWaV1//ITNnSGx06jGP6N837r/ZDnbw"
    "HaG3p1fXbZGVzwjC5zd2SKTx+JZIR9pd2SiV7InBENi1wvfVAy+zK5oWOwcokC15/rRSaZ"
    "VeW+HmfgY9lpA4R1ktonZMmq05btGEOCjy/AlAhZzZgNMEYnqrQ8imhTEbJK7PKbVlnnPH"
    "2H5dpqSczT6KsQxrJp7AVk2hTTSbmzwDh5nYFtl+N5BcPwPTYk1jF2Z6ZujhOXS+JcSsAV"
    "z+K8DgavMYOyr7uXWGdR2nqR7fIiW3GrWKLDKF31NrCNxBKvrN8ySUSjxPXS2uWlFWBXsb"
    "UVI6wXV67F5Z0ilQprDlLWy2qXl9WSV8XWVJiqXlB1Xt7a8aLOy/uTcD1Brsby8vqOF+Xy"
    "wNb5X4vmf42jXDrv6x6CnDcvRGSC1YleN+UkFrm79r7cXB6lqn1NfqNedC3CDG3aSHCe82"
    "oOsnzm8KrNY45y6TDUwRK1/9mOLcWohfMql4XzKsPCeRW1cPiiKoCw17yC6B7lcj87ynA/"
    "O0qIfbSok5gDK9NbYElSe88U9Al41gDEH/8HSgLXjA=="
)
