from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "dataset_revisions" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "dataset_id" UUID NOT NULL,
    "team" VARCHAR(63) NOT NULL,
    "revision" INT NOT NULL,
    "action" VARCHAR(16) NOT NULL,
    "changed_by" VARCHAR(256) NOT NULL,
    "changed_at" TIMESTAMPTZ NOT NULL,
    "changes" JSONB NOT NULL,
    CONSTRAINT "uid_dataset_rev_dataset_45f685" UNIQUE ("dataset_id", "revision")
);
CREATE INDEX IF NOT EXISTS "idx_dataset_rev_dataset_4838bc" ON "dataset_revisions" ("dataset_id");
COMMENT ON COLUMN "dataset_revisions"."action" IS 'created, updated or deleted';
COMMENT ON COLUMN "dataset_revisions"."changes" IS 'field name: {before, after}';
COMMENT ON TABLE "dataset_revisions" IS 'One change to a dataset: who, when, which fields (before and after); kept after delete.';
        CREATE TABLE IF NOT EXISTS "search_documents" (
    "key" VARCHAR(80) NOT NULL PRIMARY KEY,
    "kind" VARCHAR(16) NOT NULL,
    "entity_id" VARCHAR(64) NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "team" VARCHAR(63),
    "template" VARCHAR(63),
    "status" VARCHAR(32),
    "tags" JSONB NOT NULL,
    "classification" VARCHAR(16),
    "region" VARCHAR(32),
    "account" VARCHAR(12),
    "visible_to_all" BOOL NOT NULL,
    "document" JSONB NOT NULL,
    "version" BIGINT NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "vector" TSVECTOR GENERATED ALWAYS AS (SETWEIGHT(TO_TSVECTOR('english',COALESCE("title", '')),'A') || SETWEIGHT(TO_TSVECTOR('english',COALESCE("description", '')),'B') || SETWEIGHT(TO_TSVECTOR('english',COALESCE("body", '')),'C')) STORED NOT NULL
);
CREATE INDEX IF NOT EXISTS "search_documents_vector_gin" ON "search_documents" USING GIN ("vector");
CREATE INDEX IF NOT EXISTS "search_documents_tags_gin" ON "search_documents" USING GIN ("tags");
CREATE INDEX IF NOT EXISTS "idx_search_docu_team_1bb654" ON "search_documents" ("team", "kind");
CREATE INDEX IF NOT EXISTS "idx_search_docu_updated_0ea2a6" ON "search_documents" ("updated_at", "key");
COMMENT ON COLUMN "search_documents"."key" IS 'kind:id';
COMMENT ON COLUMN "search_documents"."body" IS 'Other searchable text: columns, parameters, topics';
COMMENT ON COLUMN "search_documents"."visible_to_all" IS 'Published templates, public and internal datasets';
COMMENT ON COLUMN "search_documents"."version" IS 'Outbox id it reflects; older writes are ignored';
COMMENT ON TABLE "search_documents" IS 'A document of the PostgreSQL search backend: facet fields, text and its weighted vector.';
        CREATE TABLE IF NOT EXISTS "search_outbox" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "kind" VARCHAR(16) NOT NULL,
    "entity_id" VARCHAR(64) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "available_at" TIMESTAMPTZ NOT NULL,
    "attempts" INT NOT NULL,
    "last_error" TEXT
);
CREATE INDEX IF NOT EXISTS "idx_search_outb_availab_87cdd2" ON "search_outbox" ("available_at", "id");
COMMENT ON COLUMN "search_outbox"."kind" IS 'stack, dataset or template';
COMMENT ON COLUMN "search_outbox"."available_at" IS 'Not retried before this time';
COMMENT ON TABLE "search_outbox" IS 'One change to index: a document''s kind and entity id; drained in id order.';
        CREATE TABLE IF NOT EXISTS "search_terms" (
    "word" VARCHAR(64) NOT NULL PRIMARY KEY
);
COMMENT ON TABLE "search_terms" IS 'A word seen in indexed text: the vocabulary that fuzzy matching corrects queries to.';
        CREATE TABLE IF NOT EXISTS "datasets" (
    "id" UUID NOT NULL PRIMARY KEY,
    "team" VARCHAR(63) NOT NULL,
    "name" VARCHAR(128) NOT NULL,
    "description" TEXT NOT NULL,
    "location" VARCHAR(1024),
    "glue_database" VARCHAR(255),
    "glue_table" VARCHAR(255),
    "format" VARCHAR(32),
    "columns" JSONB NOT NULL,
    "tags" JSONB NOT NULL,
    "topics" JSONB NOT NULL,
    "classification" VARCHAR(16) NOT NULL,
    "revision" INT NOT NULL,
    "created_by" VARCHAR(256) NOT NULL,
    "updated_by" VARCHAR(256) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "stack_id" UUID REFERENCES "stacks" ("id") ON DELETE SET NULL,
    CONSTRAINT "uid_datasets_team_19413e" UNIQUE ("team", "name")
);
CREATE INDEX IF NOT EXISTS "idx_datasets_team_696e83" ON "datasets" ("team");
COMMENT ON COLUMN "datasets"."location" IS 'S3 URI of the data';
COMMENT ON COLUMN "datasets"."classification" IS 'PUBLIC: public\nINTERNAL: internal\nCONFIDENTIAL: confidential\nRESTRICTED: restricted';
COMMENT ON COLUMN "datasets"."revision" IS 'Bumped on every change';
COMMENT ON TABLE "datasets" IS 'The latest metadata of one dataset, owned by a team; its history is in revisions.';
        -- Written by hand (not generated): fuzzy matching where the server has pg_trgm (the
        -- embedded pgserver has not), and the triggers that write the search outbox.
        DO $$ BEGIN
            IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
                CREATE EXTENSION IF NOT EXISTS pg_trgm;
            END IF;
        END $$;
        CREATE OR REPLACE FUNCTION search_outbox_enqueue() RETURNS trigger
        LANGUAGE plpgsql AS $$
        DECLARE
            changed jsonb := to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END);
        BEGIN
            INSERT INTO search_outbox (kind, entity_id, created_at, available_at, attempts)
            VALUES (TG_ARGV[0], changed ->> TG_ARGV[1], now(), now(), 0);
            RETURN NULL;
        END $$;
        CREATE TRIGGER search_outbox_stacks AFTER INSERT OR UPDATE OR DELETE ON "stacks"
            FOR EACH ROW EXECUTE FUNCTION search_outbox_enqueue('stack', 'id');
        CREATE TRIGGER search_outbox_datasets AFTER INSERT OR UPDATE OR DELETE ON "datasets"
            FOR EACH ROW EXECUTE FUNCTION search_outbox_enqueue('dataset', 'id');
        CREATE TRIGGER search_outbox_templates AFTER INSERT OR UPDATE OR DELETE ON "templates"
            FOR EACH ROW EXECUTE FUNCTION search_outbox_enqueue('template', 'id');
        CREATE TRIGGER search_outbox_template_versions
            AFTER INSERT OR UPDATE OR DELETE ON "template_versions"
            FOR EACH ROW EXECUTE FUNCTION search_outbox_enqueue('template', 'template_id');"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP TRIGGER IF EXISTS search_outbox_stacks ON "stacks";
        DROP TRIGGER IF EXISTS search_outbox_templates ON "templates";
        DROP TRIGGER IF EXISTS search_outbox_template_versions ON "template_versions";
        DROP FUNCTION IF EXISTS search_outbox_enqueue() CASCADE;
        DROP TABLE IF EXISTS "search_outbox";
        DROP TABLE IF EXISTS "datasets";
        DROP TABLE IF EXISTS "search_terms";
        DROP TABLE IF EXISTS "search_documents";
        DROP TABLE IF EXISTS "dataset_revisions";"""


MODELS_STATE = (
    "eJztPdly27iyv4LSyyRVmlRsZ7vOrVsly0yiG0f2keRkFk/RMAlJLFOkDgna0czJvx80wH"
    "2RSUqUKIYviQWgQbIbS+/9T2dhqkS3X/QcVaOSQa1V5xT90zHwgrA/Unq7qIOXy6APGii+"
    "0/lwDONkwgZqhPfgO5taWKGsc4p1m7AmldiKpS2pZhoAcmkQZBHFtFSiIjaSNb9Ht7fsL9"
    "O6vUWajTBybGJ1kWmxdntlU7JgHVP2k84JYl0PmkKQRm2iT1/AQ1VTYU/VjFlF8zuG9m+H"
    "yNScETbCYk/58y/WrBkq+c4+m/38k6HEYr3yPWsUGOI/NbXzFwxd3stTjehqBNcaH8nbZb"
    "pa8rYzbTYw6Ac+Fr7sTlZM3VkYwfjlis5NwwfQDAqtM2IQC1MCT6CWA3g3HF136eSRQnxI"
    "MER8QQhGJVPs6EA9gBYvELR1ZHl4OZHH0kSWOwnKehAhYrhNimnAqmCvanMEzOAVfv2f4+"
    "OTk7fHL0/evHv96u3b1+9evmNj+fsmu97+EC8TYEtMxXE2+DgYTuCFTLb0xMKEhh8cBlMs"
    "oDihAuzzBZEkQH+OrXT0+wAxCrBPi1PAw/c6EngNAQ2CDbMLIizwd1knxozO2c/j12/WIP"
    "hrb9T/1Bs9Y6OeR9E8dLuORR9gPIJheKliKHYhqsLxTtd5BMVvXuXA8JtXmQiGrih+Y0dO"
    "XiTHwBq4mitDddqJ/SSiU4/tJqC5kkNDJRRrgsuI4vn/x5fDdDyHQGJYVjWFov8gXbMTl+"
    "S2sN3536lj8GML3TmaTjXDfgGP/b9ORTRYg3JAEcy8sO1/62FMP/vS+y1OhP7F5RlHmWnT"
    "mcVn4ROcxU9xmqTFOUMi1RYk4xSnaaRwQV54fxzgeW4RrF4a+sp97hpKTAZfpPGk9+UqQo"
    "7z3kSCnmPeuoq1PovvE38S9G0w+YTgJ/rjcijFqeaPm/zRgXfCDjVlw3yUsRpCkdfqofEH"
    "8KXT+xBvBA13WLl/xJYqJ3rMYzNrbLJrcbyIt2ADzzjJALnwmq6owdYStgntpEghXtdaEU"
    "QVg3JKHxPG4etsxdkULdixAcDInCKTCQ3uREwueDSY6HC3YoICJXjxHkQBNGdniGmtQH7Q"
    "DCZgPGg2m9JOyh+VPCFFAmEiBwOFTo61v2ISSSGp4/p6cF5A5nAcTX0BMGX28NOiR+hI5U"
    "+Cf17t4zzlR+eJ2JbhDcc/fb104dEmN6/gjm8g33uShxk7yWbGTuIsAv+/AG698Q1kwY6O"
    "3+XALhuViV7eF2fBgjdLoHlCvmeoJ2Jgu8N2Zw9Hw0T6bbKe1fLv94vL4UdveJz/iiJeNx"
    "VcVGQOw5RCuXsyVLy+O+MTdD0awE0ISjY4N+M3Z671/vI4j2wHw7JXPO+MYn6ms9sVXuqO"
    "XdBF0J8ArDENSot5r3OJea/XiHmvUxEueLii2PahWlTnQvXUtBZpQlw2mgOI5qH45DgHhk"
    "+OMxEMXVH8CrwV0liEQOqhsYDnNUZjQfGsEDW88S0ptk8Kc6kpxYjhQ7Tk2Do5FB3btjbV"
    "1rGZkuEsOGkG7FWxoZDk6ZWYpc6SVefq+uxi0D9FS+dO15QbYzCcSKNh7+IUMTIQy8D6jd"
    "Fny3FwLg0nA2hnVJpqKjGoBn0jaTwZDfoT6fwUMdwyiirwTWW41zz68qNsdflRQlvuaYmS"
    "pMy0IodBnrYlb4tuRwWJduYslkRFbCeSB2KtkDLHxozkRLqwLx8fvXr76t3Jm1e+WdlvWW"
    "dN9izHoV1jEcCGfLcqwkRFoeq8Q+pk/nGWaglcR6FaXOfDtbdCi1t4opC7sfTsFvvNMvWk"
    "7bDiVI9CtlSvC9U9HIXI7r59QHXGyin3qf4L2bafMMwGFqCaqQPK23sSBtMYepO4/WBaRJ"
    "sZn8kqwVHHEOpaPMfePAeJ06A1eEULP/pGyMiKYh/PPplQ/vnsBdDw+uKi82OvRuiRxxtn"
    "G6NHIfb5SaO07Ftx+fBcvrGC00XURNgzGJ+ix7nZZf8QA/7VlDkS34We3ZEpW2MIGyrCUy"
    "bNPH+P7smSih9IIDjdR7ai56Raqj10CMr7EshGNuvWUxb6duEpG6Ve3tsjCrVND4L9Wrc3"
    "8Reor3/APr01t+4gcDBakeqPjq0pQerozL0V9aAry3aRK95AWIi4z2qi4xMXdWH1UwSqzh"
    "SolUrExVoJlUgEshWO6yIc51GJCNoVs+AGILu3U5U45fh3IfhgRiTBzHcF8/4j3ym3C1NV"
    "XTySyVI3VwtipDslB73dtSKgP66A8IcpJQsmVjGp7A7IwWQzLjO7YhqxNYvdUKyJsgkeNT"
    "rnnsM6YZw2CGw6mwE9mtY9k8ksx7BZb7rwV9FzUoU/XzcCDMED6TDc/8kOEzbQZssPOjSV"
    "vYxJiaGs5HuySsiFfA7qcDzyd5DJ9yV7QxtOWz6d/4yQZrpY4GXrAr1tF+jsuLSnTcyHEJ"
    "zW6Y8kdnmdIrHmbozrq3P+WzCS8PvjqHfOG2YWVlnLOZiSL38/hR1GLXPFWkaDDxO5/0nq"
    "f2atljalsjInYi3vn/UMtl0ZIgbQtSbjv66la7Dts4c4RL0xrqTh+WD4Ue5dXY0uv4I/wJ"
    "IYKiODzA57y3wAn4CrkfR1IH1jw1gvyI7kkQ24MXrfeoMJAEu/Sf3ryeByeIrwI9YogLOX"
    "Vhx46o3hdgO42wrQ4+t+X5LO4WVsR1EIUeF9PvQGF9A0xezcZb/7vWFfuuBNCuBd18tJKr"
    "k8adf40Sa9aN0DPrFczkyTHdtGtpj4kKYSv2NQFanCvfO2wCqZjK4l5BhU00WWAL62IVZn"
    "qhmY4Zo1GlyFzbY7fxVxbbpjlfsusk3f9RmchdHcBM0qpmjBzlUeHyRQgQLOga08C/l320"
    "YH+dnl5UWESTsbxD3Sr7+cSeyA4ARngzQa0Q+GTwWyLH8mCNgdRgd4rIZa8PrsjCR2NIxd"
    "vx93DrZJfx9OPknjwR98m64MRlNb+xt6emM201jm/kbjT9CNbYhMk7nnkT3nm/dTb/hR4o"
    "8U1wfsYi5LyKAsddmXrAPi6vLiQpw5pq7zFvdG4Y3upSLa+b1yLk2kvphF3C0qoUQRc/Uv"
    "v1xdSOIFzMWytMJj+8fIjKGg7PryYHe4vgy2dYsurU8gjQnbCZwJ7hXini/immH89zO3/R"
    "RCBYEBF8GC3jXEm7GBsLrQjOf14BgifH1eXVUEqM68Qp1UVXGhqQC+U0Cb5+hfSWicu1Jl"
    "VZsRu1BMRRKyzgu9M/7U+5UtOi9ey337LugHKOM4mfhvEWqt0NQyF/yHY7MDy11M+8/Xsc"
    "QWXhRS6AUQh6DPq62H+dS0lKISgA9TTgAohXK/Zbc43yIXDgo8yDNQ4ixKAW3e+V/BoSK4"
    "sUKnSgCy0bFSM0zvPG4FVGJL07XE57fRhKHqEU5UJjVQ59sc00DhbhCi2nARM4Q5C4KeuZ"
    "5cPLOIK+CxR2qqnVMm2DU14b31QpQMINpdVB7vxLLSMh5mo90HaLFeHuvCYAUZfwrJxDGw"
    "5t3PlQjFCetgAuPrvTjS4Lfgy1EzQhyI60ZKXEPSd8O1ZKfIepm+fmGQ3fn6vaxqV23b0c"
    "/VPhb0N4uBtedVvhS5HtZKZFmMgranVJ1PKZtiq1zQXRSypXKdqTzVDG7mK0HmGGhL5zrT"
    "uQ2czr4zm+sl3AZON43qKZu9ToHTdaPytiLfXOPDA7Eg4ioVt5myWwZ0G7LlSnI1ilGvG3"
    "o3DlL3EkF11q7nLWB44k75NZixobjO2M4ZaM8OBwkpuR+8iIuYBdqF+/B5RPSsxGXhFS49"
    "kIM8RbJQ/6PKkJkr9kqKtsT6Rwunh83ERnTXhc4svbHyDAYXiJ8Z9L4gHxr1RkP0DCPL1A"
    "lEdYqqXwYkFIN4F2LDinuOsK6bj0QFi9qjpVHCK4GBOy5426WHz1TzmNTomQAX2OJLlkeC"
    "b5Q54WdJm7ChSjQ7siVBk7xK0gRg89L9V5ahG06CwlrpKFSdPe7qpJVu9RvZ2D9MSTePfg"
    "MulqLCmA/RCmBPC2DpOV9KSAdimgNDbn6RwF9UETGg3xv3e+fSvjKEjQm2lPm5qThZgeGx"
    "EWs5XJuPlVV3cE4Ot4c8AM8v+0ocAeN/XSAxJYKvJYYKcyiEuvm7uozJ/E559i4II3lkC2"
    "4OqU4eCNQ0TfK4VT7o6WK6/3QCmnQEJER5d8j3pSW4aZ9cvm4jhk9ZgMkzTfDM7g76OOD+"
    "PewVLQy/hSQfehpPBV/0WQCU50lBxS4e3swD16OqYT/4PZWXLxjlsUlkx074eY6GU61U1N"
    "m7lznYnncvM7ke6Cobvp6B7gMIWS/L0289TAxyq9NVwXqqEaAGormCsrUaTSuwk13Dywdo"
    "BHrXMedV1O86tMJpDUL9nammXI7ZOPfG1xnZnUtgkFx+Cx7NmSsI1+bVg7qIx6wx9tgCvs"
    "uvm1I/4uw02WXN/F6qznXpWVCK4TeAaXH8NI7XpcHJ9ADYJPVNrfG7/QpqbcGuMkf13ipE"
    "Zah+t1MVqtZLv4p8GbOCeA4gmoff7R8tWFFMJy1sdF3eYh+keRg+yoPho2wMHyUwDHmz2Y"
    "fL1JSxricRvTb0Pwm8wxwAJTjyKy+TE/J4KGDDeWE5ofR0K8p5FRU2Z8i3mDFADamm8161"
    "YZg2McYGF2umd9i6OhYhoDob2DqXDr0zvyMNtP7IIlOdKNR+j0xdZfIr93axEbYI0maGae"
    "VOM7bD4hetl/dPFsLhmpUSJJ6Mv/KerP3oQT3NGeRwkqoxPcdfpf7kcsTxa5uOpZCQkSRQ"
    "E8dUl1yr9pd40lTjpkTGeMCNCb3CGihm6EEDPzj7HMCm/GAIuSrWIBG4sOiKw00yqLXqZJ"
    "p9w4O6OSy/Jh/PhxasCsUXyylk6Xav5l9sBLYnzn8IEwk7iN8jFQhNgCWBc9m02FH8VCGo"
    "Tad+2rT7Zwc/YI1vCPec1NSCibrbuk/bvfp+Lgtox03G6/Ln4K8b1obuXyHQWkZ3YhltXR"
    "x/CjYvftsUIXQc9nBI3RmalOfn1Ngl7VZupHPNRt5r/mSLoE0Rw9mJraWI0bFN5YxsYtkm"
    "9yhUE1Sru7Cj10oUmhBr0cmUgXhvHuGHsoG5XV4fmXyBbEIMLm4IQruOEOCY+mAq+M7Rsb"
    "ViPzFFU+fvv1dogakyh7pGimlZoIyC6h7sOIS8iWnurtU85Gl5KFPygRcqwgF64+vr7bln"
    "1i8u5tRlX/Fg6rQt5VfNyt5NMKRAcKSoKwJ1BZjU41e0eM7Wuwg5AF9v7ItDyFU+dxEkIV"
    "R5rYE1IZHbmvzGuDFub+HP21sorwLbj2dB5N2/2MjWnVkXGSZkRJ2K2AnIO36KFmRxx2ad"
    "a0soaMF2Ic9NDvAK1nVi/WLfGJrqqjFmluks7a4oaM2nZtt5BRVYkF/qWhRWQHNsIzC6Qo"
    "ECwjXcrAHCPR+zozY9D6aQLTGw23JKwxXMq6ElNCRRAaOwfqQtZLbtQmYevfKexd74Jgri"
    "Ffiv1asQ9h5vuq3jtq2CsCdj7x68TuqG8qrdTnbuOFVvBG/fc+qnqP2YXuItTwXIc+nqwq"
    "+7BqyvqP/Ynwy+SqduJT+3JCgfxL0D+Jh4PcfMEm6iHYa6zfWu/qgXr/2oH1jlR58OYDfy"
    "0b+2+CNgh9d+xPxPLtLgezbcBKFo6co1XA6h2GIyBMIL05ghQI0o/WizoXrOukq7cSRTdN"
    "NRmZC04K6+skiYVZRLXjtJnQ+N0ldgBfXIUpFYzHa4Zoom6Gh3kC7FdOjSSTMvZPPZIZB6"
    "BDGUqUtTW/a7fP2HPVR+2KXA2SSrHifVSn7EllHKjp8GfzBptzvfgOOAFBtcNwqZNizGdP"
    "BvESYKjTIeRNfRHQlxLaxdfPbG3MTBLRdR/3gzoSY+x06LDFOZ1zMjhctYQ1//k9T/DDJD"
    "aJ4bYzCUx78P+6dIY/f+ylDcstFc4oBPhTHXw8/Dy29DYGzvGW6NMrLG9r2kBCXcDymx+d"
    "PgD2bz/5THvWcVKZb/LwrVQKmizf+3Y+w3N/9fG/nSNKqnHKyJ+gZQoDY9MC3TOS4Msjvn"
    "uKOCbM+Zs1iCos5AkIl5JcLQ3nvRaFwXJyqbi4+BHysEdM7J4WzZp64ti7C3rJxt/v4a5e"
    "8PB07HLAkFMvifi1kOlmVPZu+P5hkDg9Ni80IH5/5EDVqjlRY6CJWGyHLa8wtHPOG5Jwel"
    "KvL4wfZBT//B09ML0xDiUyDFXIKn/+Nc0wlXCgULBFnYeI9ubzX19lZE6nGXuhQnvkqekO"
    "ocp0ZWHX+A7Lm5la1p0EYFQt8uogJ9eiVosCY+LQTTCuH5hHAQldgWXCyLSmMRwAYKY4cr"
    "fCVlbt2caQrWC26nKFS7ofJtqOV8ZWciOztsKQbWBJv4LuKWojoGN4UEx1qBhZ4AbNd6vr"
    "W+84yV9cbx9uPHLYLtYlmeA4j2CClzhCggW5TRTsdAG8gRHah6Oo9RIpAVC9bgTQC2hXjX"
    "60GjUvmGGtBGKpa6MeVnYokVVntWqamacG/inhtWkqKsig7ortNXCc9k2Y1RyauyMlDv2x"
    "i5QNzDWYRgCAcl17dZIBESZ5rgR22ZzmwOGahEM9TUTFFVbXPmVBVVMm6zrbi5z4qbzQ2o"
    "6hwd/6pqM41GlnS5okhtlNXBRVmJ00iG06hoMdkU0Aai/PjlqzxxEzAsW0DmnVHEt0HdIR"
    "TnKabGRq1B8MvWh+xnFddqkkmFl0VNY3O9VBzZ3C3B+dMRAYvCQ/beczsoZCOBmD423OT+"
    "RNEMI3yMm5gEKdiyVqnFNrcx5wbJhlqWtQKWFahYSAHrjm9eBqet57Vo7+727m7v7h3f3S"
    "FDKsOQoi2xLs8svLEP2pU320eY7ACXxF780DwX03SOJ0hovY7rcQvY5OV84ClB3Zv3iBcB"
    "4Mq30FA0NXXdfOQ8ikEeiU29VG9pjM82pmz5nnrxPfu9nBvN92SUc16TLK1R5Zx3wPm0FZ"
    "z3ZuFvmc6W6VzDdLpX/obMZnMjc3bCbXpoW8N0hjD7NO8ph6maL4mxCxFNJ3wq9GbKnCxw"
    "FynsgUjVZoxT7CLh18Z5yhAm03MYb3HujKzAAWPuRZu1duV9MquZMX/ZPFV2TcbDvOer9p"
    "RsmdaWaW0s03p4SVI7qoWntFMM/53zUe/DBLICMdgb4+r67GIw/gR5gpZeQWSeEXUk9Xsi"
    "fRBZWkTBPIPQiDGZI5FhlWr5q79WnEFIZLqWxb2eJOBTKbJDgG2m7A1S9bW5E2tGkPDjCx"
    "AlBtYSpgLCqEQWkkcRbioG1ohbvmqWdQlJYUzHlkviPAu+CYE/lRfmBJSJksSldIFJ8Dav"
    "X50joDnB/FKbKdq9dfnjk8DlMsmXOuCKp5LfBoG3mMbd591L7LM4bLvJ6rzJAmoVS58Zh2"
    "veBVZJ9HUg/ZZJTRsHbrdWnbdWiFzF9lYCsN1cuTaXq0UqFQgehmy3VZ23lUerYnsqCtVu"
    "qDbbc+t40WZ7/kmonnKuJjKH+o4X5bILt1mFi2YVTmK5dDbhA0Ry3kwasQW2SfrgNjVu3i"
    "zCQfn48ljyq9Q3BUFVetH1iKUp806K85zb013nM4eDMU85ymWjoQ2WaP3ParYV4xLO61wS"
    "zus1Es7ruIQDm6oAht3hDcTuUS73s6M17mdHKdGipkFTs4at9RbwQFrvmYI+AXtNt/Djv7"
    "ZqfrE="
)
