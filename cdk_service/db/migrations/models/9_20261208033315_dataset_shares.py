from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "dataset_shares" (
    "id" UUID NOT NULL PRIMARY KEY,
    "owner_team" VARCHAR(63) NOT NULL,
    "requester_team" VARCHAR(63) NOT NULL,
    "principal_arn" VARCHAR(1024) NOT NULL,
    "reason" TEXT NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "needs_admin" BOOL NOT NULL,
    "requested_by" VARCHAR(256) NOT NULL,
    "owner_approved_by" VARCHAR(256),
    "admin_approved_by" VARCHAR(256),
    "decided_by" VARCHAR(256),
    "deployment_id" UUID,
    "error" JSONB,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "dataset_id" UUID NOT NULL REFERENCES "datasets" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_dataset_sha_owner_t_cb5374" ON "dataset_shares" ("owner_team");
CREATE INDEX IF NOT EXISTS "idx_dataset_sha_request_a3929e" ON "dataset_shares" ("requester_team");
CREATE INDEX IF NOT EXISTS "idx_dataset_sha_created_b3d8a8" ON "dataset_shares" ("created_at");
COMMENT ON COLUMN "dataset_shares"."status" IS 'REQUESTED: requested\nAPPROVED: approved\nGRANTING: granting\nGRANTED: granted\nREJECTED: rejected\nREVOKING: revoking\nREVOKED: revoked\nFAILED: failed';
COMMENT ON COLUMN "dataset_shares"."needs_admin" IS 'A confidential dataset';
COMMENT ON COLUMN "dataset_shares"."decided_by" IS 'Who rejected/revoked';
COMMENT ON COLUMN "dataset_shares"."deployment_id" IS 'The latest grant or revoke deployment';
COMMENT ON TABLE "dataset_shares" IS 'One team''s read access to another team''s dataset, for one of its IAM principals.';"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP TABLE IF EXISTS "dataset_shares";"""


MODELS_STATE = (
    "eJztPWtX20iyf6WPv0yyh8kNEJIsuWfPMcYh3hDD2CaZmTBHNFLb1iJLXkmGeHLz329Vt9"
    "4PI8mWkRV9SXB3V0uq6ke963trZihMs160F4pqd3XbXLaOyfeWTmcM/kjo3SMtOp/7fdhg"
    "01uND6c4TmIwUGW8h95atkllGzrHVLMYNCnMkk11bquGjiAXOiMmkw1TYQqBkdD8jtzcwF"
    "+GeXNDVItQsrCYuUcME9qtpWWzGXSM4ac9ZQS67lWZEdW2mDZ+gQ9VDBmequqTkuZf6Op/"
    "F0yyjQmDESY85etf0KzqCvsGnw0/vwJKTOiV7qBRYIj/VJXWXzh0fieNVaYpIVyrfCRvl+"
    "zlnLedqJOebr/nY/HLbiXZ0BYz3R8/X9pTQ/cAVN3G1gnTmUlthk+wzQXiXV9omkMnlxTi"
    "Q/wh4gsCMAob04WG1ENo8QJ+W0uS+hcjadgdSVIrRlkXIkAMp0k2dFwV8KoWR8AEX+HXfx"
    "4cHB6+OXh5+Prt0as3b47evnwLY/n7xrve/BAv42NLTMVx1jvr9Uf4QgYsPbEwseEHh6E2"
    "FVCcUD72+YKIE6AzpWYy+j2ACAXg06IUcPG9igRug08Df8Nsgwgz+k3SmD6xp/Dz4Oj1Cg"
    "R/bg86H9qDZzDqeRjNfafrQPQhxkMYxpfKh2IHoiwcb3Wdh1D8+lUGDL9+lYpg7ArjN3Lk"
    "ZEVyBKyGq7k0VCed2I8iOvHYrgOaSzk0FGZTVXAZYTz/e3jRT8ZzACSCZUWVbfJ/RFOt2C"
    "W5KWy3/ne80PmxRW4XqmaruvUCH/uvVkk0WIFyRBHOPLOs/2pBTD/71P49SoTO+cUJR5lh"
    "2ROTz8InOIme4nacFqeARFudsZRT3E4ihQPywv1jB89zk1HlQteWznNXUGLU+9QdjtqfLk"
    "PkOG2PuthzwFuXkdZn0X3iTUK+9EYfCP4kf170u1GqeeNGf7bwnejCNiTdeJCoEkCR2+qi"
    "8QfypeO7AG+EDbdUvnugpiLFeowDI21svGt2MIu2UJ1OOMkQufiajqgBa4lazG4lSCFu10"
    "oRRBGDMkofI+DwNVhxlk1mcGwgMDHGxAChwZkI5IIHHUSH2yUICjajs3coCpApnCGGuUT5"
    "QdVBwLhXLZjSissfpTwhQQIBkQNAsZNj7a+IRJJL6ri66p3mkDkWC1V5gTBF9vDjokfgSO"
    "VPwn9ePcV5yo/OQ7EtgxuOf/pq6cKlTWZewRlfQ773MAszdpjOjB1GWQT+fw7cuuNryILt"
    "H7zNgF0YlYpe3hdlwfw3i6F5xL6lqCciYNvDdusJjoZR9/fRalbLu9/PL/pn7vAo/xVGvG"
    "bINK/IHIQphHLnZCh5fbeGh+Rq0MObEJVseG5Gb85M6/3lQRbZDoelr3jeGcb8RIPbFV/q"
    "Fi7oPOiPAVaYBoXFvKNMYt7RCjHvKBHhgofLi20PqkF1JlSPDXOWJMSlo9mHqB+KDw8yYP"
    "jwIBXB2BXGr8BbLo1FAKQaGgt8Xm00Fjad5KKGO74hxeZJYcxVOR8xPIiGHBsnh6xRy1LH"
    "6io2s6svZpw0PXhVqsssfnrFZqmyZNW6vDo573WOyXxxq6nytd7rj7qDfvv8mAAZmKlT7V"
    "rvwHLsnXb7ox62A5XGqsJ0W8W+QXc4GvQ6o+7pMQHcAkVl/KYi3GsWffl+urp8P6Ytd7VE"
    "cVKmWpGDII/bkjdFt/2cRDtZzOZMIbAT2T0zl0SeUn3CMiJd2JcP9l+9efX28PUrz6zsta"
    "yyJruW48CuMRliQ7pd5mGiwlBV3iFVMv8s5koBXIehGlxnw7W7QvNbeMKQ27H0bBf79TL1"
    "JO2w/FQPQzZUrwrVXRwFyO68vU91YOXku0T/hXTbTxBmDQtQxdQBxe09MYNpBL1x3L43TK"
    "ZO9I9sGeOoIwh1LJ5Dd56dxKnf6r+iSR88I2RoRcHHwyczm38+vADpX52ft36kG6ED2AZG"
    "gCVIlScO3PuPA6alCSdh2/IQp9rBoyoN4z+2YKofuBJEusl+EBAyHjXdS56tmw/P5EEs5A"
    "FiG4S6ZvVj8jA19uAfpuO/qjwl4rvIs1s2hp1IqK4QOgaZ7/k7csfmtvhBxDJM9iQu6TmJ"
    "9nwXHWJ/eHLaWpb9xp8Y+7bhTxymXtY7Ngy1ST+Lp/UBWMerorpeFE/p07pxN4qd0R2Vf3"
    "RsTFVURZf3jShRHYl/jzhCIAbPiPusIppQcVHnVtKFoKpMgUopjhysFVAchSAbFUJVVAhZ"
    "FEeCdvns3D7I9q15BU45/l0EPxiIJJj5PcG8/8h2ym3DoFctv20hQKdLgp6A/bgY6Iv12W"
    "RA5PZ+sQjuOEJlmVkWl9N0A0Uqt9fzucb4TnTCNsbc27rX/kTmQEtZncMTkoW/TT/g8TjS"
    "xmv7Sb220S/flPJKHWGoxoM7i+gBX2nZBXAdh2zw/Ti+vXNIomYu6SQGWEMWuSyfYrg2rH"
    "we9D5ELdC8bfd5y6b2IoE/zebV5ENvMXLBPc7ctZCZUx10f7sChl74JDlzXOvty8vBxWds"
    "BG7LNO6x7WzQ7o96/bNjMjGpbgPBnDYcxptw1KD7767r4vQfJjttny8+ckiT3Rt3HJK3iW"
    "HQhKPet3vn2DCmqlYVZYDOmGKBaDNTE/bfiWFojOopsUJhyMhSuAXQstaC15JjFbRDrmou"
    "K7q2qHJycXEe2p0nvej2u/p00gWicJrAINUOacnjN31exUwUrhYH4hZUM4IXdXd/TqQnAt"
    "cvBKCcZCd4ZBRFfCJwg/iMCSNkOADzYjwMVWFUt75MDe9O/h/n1i1yy5aE/LlmLGdw/+S1"
    "e0YBK+9gFAzs52wTmkAEPYj/NWvfvTmso8w0kzJYpatjPYC1lLEVO2K2HkOxU16zTX6Uxm"
    "m2oXpBp9nqu/RU5aQt7jkbkFnX9J0NZAvaTcQ+6j4bXlkhB9pOe9hpn3ZX+c+Wagz0GaAk"
    "U2CIPVphCPTG5bACUttms7mNlrlbxDKhhLsZOz6bzFJNpmCTDRM8qPaUW+c0BphE700NZi"
    "APhnnHgJtb6Bb0JhsDS3pOoieo506O3kH3rAW4/+qbPrADhJfZ3LCZLi+lO7aMOYl+Degz"
    "+TtI7Nsc3tDCi4hP5z0jwJbky1Xb2B83bX9MT+X5uP56F/J5tjqDLtzrx0SsuWv96vKU/x"
    "ZcEv4+G8Axhg0gYynQcorRtxd/HOMOs01jCS2D3vuR1PnQ7XyEVlMd25I8ZWItP73qefeM"
    "EAXI+NtV9wp1/vCQBdoALrv9017/TBL2BwyhnjNdATI4Oi0Mo74cdD/3ul+4PWGOjqTsgV"
    "sU2l/aPbRPSN3fu52rUe+if0zoA1XRUgGHFpMX+NRr3elGcKcVoYdXnU63e4ovYy1kmTEl"
    "bpO41jvtfqd7zptkxLtW0FKRyVC4wkwYNxI6B3xsuaw0UvhAxewTRSR497zNozAZXHXJQr"
    "dVTSRW52sb0xuOVZ0CrqFR51E/sN35q4hr0xkr3+0Ry/CyRWF+JTI1MMyC2mQG5yp3thGo"
    "CChgYOWZxLvbqmIGgWt7XvxMELC7a5Yc/tEffegOe3/ybbrUgaaW+jc3WA5hpqHEUzQMP3"
    "DDpYXJPCWerMGa8s37od0/6/JHiusDdzF3LJSQGXbYl7QD4vLi/FycOYam8RbnRuGNzqUi"
    "2vm9ctoddTtiFnG3KMBhy2KuzsWny/OueAFjNi/s/bz5Y2QCKCi6vlzYLa4vHbZu3qX1AV"
    "0zRSAVngnOFeKcL67phDxz2o8xuyoy4CK/qnsN8WaqE25weV4NjiHE1+f2g6o6r1AlU1FU"
    "aMqB7wTQChuNinpClZFN1FmpkqJOmJUrDV0cssoLvTX80P4VFp2b4tJ5+z3UD9jAcYL4bz"
    "LbXJKxacz4j4UFB5azmJ6+xMGcmnSWy7vfh9gF5/7KGpTGhinnlQA8mGo7KG0C5xvkwlGB"
    "hxbcAmdRAmj9zv8SDhXBjeU6VXyQxky9hpkaVWJzwwnLzR6wFYSqRgbGItVUWl+m1PYV7t"
    "yrEy9iQNhixsgzJ60Dj9txBDx4pKpYGWWCbVMT31vLRUkfotlFxfHeuNg8BdaFwYp7o+a5"
    "oyNg9bufSxGKY9bBGMZXO7gkwW/AzaVihNhdr5a4M5NjyU6Q9VITfwRBtpf442VZu2rTWT"
    "8Ken03/t5FHO1drBUoTBcGbU6pKp9Slk3NYi6XYciGylWm8ljVuZmvAJkjoA2dq0zn3fKa"
    "bxyoHyd74zb/M1I9i9v8E+aarhqVN5UG0zE+3DMT0y8m4jZVdkuBbvI3OpLciuCEbaf1rh"
    "p6swYmpOb1dmvntFau5w1geORM+dmfsaa4TtnOKWhPDwcJKLnv3YiLiAU6Rzp1vsK792wn"
    "T5E01JeaTP3STa10hsHErYSwmciIvVWhM36iJh6bnCN+JpSnjrQHffKMEtPQGMY3Lyxm7h"
    "EdazBhvAuzcMU9J1TTjAemoEXtwVRt5uW+Q2+75PCZch6TGD0TS1rFU4WtlUb9Z8mhvqZK"
    "ND2ypfoZyJ4u31tpRY1FcqecWukwVJU97qqklW70G+nY301JN4t+Ay+WvMKYB9EIYI8LYM"
    "npQQtIB2KaHUNudpHAW1RVCgofMmrK01NDXqQFhkdGrORwLT5WUpzBGTncNnEBXL/sS3EE"
    "DH87J2JKgl/LdAXnkJntFPPZAybzm81L+WAYyQMsuCnWPbhnsm2YcR63zAc9njf6e8unCR"
    "xZisqc/SBmwYjvFvs2NwVn7ZHO03NEcCu5U0gCXpqIdIjutjrrcacfeG+T4m8h3gdegZfU"
    "zvtQBMrypK/escBjnnk0e1hf7EXEJzL4OUM/1gn32AqTz9FwrBYKRXv7MgMv9PZlKiuEXU"
    "Vj2lPQvQNx7EUZ/Y3HjmHiT3uZyIKkYzgEVEM0b96NHfClJYRopGdy9gBqgd5VHHsZiZyD"
    "r5kD6RGwBvUFUH9rKAmXYzrO3fFVRnbrgtfrEPwGPppzXBjDjV8BDBgPZAOe2URmzJirsp"
    "XtKt02cbZaDq9izjBll0hwzSr58OvDNDh+HMercuOkugWskw+n0vg9PMiA38ODVPxiV2QN"
    "o9QVw256sIo7vhpxXvi8p8jXVU74nUZB6h2rMk3mYlaUJIxB1m/pl5FEY5ITzz5E/fC7+a"
    "OFyrKxSIolXVXZ1AOpH4b3s2B4Px3D+zEMY2Vd+HDJNiSqaXFEr8wHEAfeYmKAAhz5pZve"
    "ibg8FLLh2CgLTagO3LjulzRZnyHfYBqBoH41TKO2adJlym4IAEVoswsXLS9DMKNLkKIYUU"
    "F4+v6PH+QBE7g5S4+nQUWaMHgF8h1Fjx/viPNqfmI3oU/mmd3QkYP3E0umOiaFw9xuRIZZ"
    "mPmLBU+z5SnbjCj29a+oiiFgc8jKLgVhmownazBHqW5/J+ok1XIaAKqy5bR1sbBvjW9ERX"
    "MOMdlYgxVvvSOGpjBTuDHBKjdh6U90w8ycP06YWf95cHB4+Obg5eHrt0ev3rw5evvSs7fG"
    "u1YZXk96Z3iuhcgXP+ga9/1C502FnBgyxeY4NsIYiUfDz7wnbT+6UI9zdxm83ypMz+Hnbm"
    "d0MeD4tYyFKbOAoctX9UfUz1wz+pd40ljlNmJgHpHrwV5h5hUztLGBH5wdDmDZ/GAI+KBW"
    "oNyzMNWfA234okkx5Tv9exkM+RofmtmML4ajbd0yZsxjLNw7GfgFsSCPgYWAFWUuMfeLAs"
    "1zOIPVb+SWyQBncSYk8OiIDb+Ep1zrcA/IBl5f5Bn7Bp/pcD2aYdwt5tbzPaIbmKvGmYKz"
    "PQTHE/SHXQbeCWeFc1vAr1tRWvNIlVWg8yGqawsv6hP48lWW1Ic4LN0rkHcmGcMrtYUFf9"
    "LVbXOZvo+Dg7JsZoOPz7aX0Rvcyb8EMgOnPm6nwB5DFwAuBgpLNfBS74iCpGMoGSJrBZuO"
    "JTjhbHbqxzfX1xa9pypf4A6royo5iyisYnlr5ly+Fe7153JEaTmJ0h01CcZSBI1ST6+XbR"
    "xUtuKg0rifF+Lsd01Si942eQgdhd0dUrf6hs1zJ6twSd+yMUhHwAqrwGU7r/mTLYImfRdn"
    "JzaWvkujli2lZHpM93wKQ9XBwrUNd6ZKiUIjZs5aqTIQ780i/NgwMLMeA/UFaETRubjh6B"
    "eEPxq3jxgyvV1oFOR+G1PYjhd//70UOgGsOScbpon6ZK58UFHRYCSFIpTzkDWUDfhCeThA"
    "d3ztFA2bYv2qqmLgiS6StpRX0TB9N+GQHIHrouYT1nzhhbidakPPYb2LcDDUmFFPHCKO/W"
    "iPYIJYhdeBWRGuvqnJr/Vr/eYG/7y5wdJXuP14hlre/YtFLG0xcTWAYxHXhjUhjsmMzW5h"
    "1qk6J0KnyOtGILxrIb3WVcVRY0xMYzG39rhmQzyZG2tR2egwTG7RGzKlFkHfFywew7iRiq"
    "LZ1TQe0iPqXUfSgEuH7z7DKY1XMK9UGdOQhAWM3PqRpsjkpotMuvTKeha74+soiJfgRrxF"
    "F+0MyH3Cm27juG0q1DyRv8YTOP9VDeVle/9t3X+12gjevAPrT1GXN7n8ZpbqvKfdy3OvJi"
    "ayvqI2b2fU+9w9dqqsOuWa+SDu4MPHRGvtppbXFO041GmudmVeLX9dXm3HqvJ6dEC7kYf+"
    "lYV5ETvce5PyP7lIQ+9guIFC0dyRa7gcYlMTZAhCZ4Y+IYgaUZbXgqFaxpp32/HnlTVjoY"
    "CQNOMRF5JIZpiXS145SZUPjcJXYAm1IhORmM92uGKKOuhot5DKyljY80WSeSGdzw6AVCOW"
    "rEjNsMqy38Vr8zxBVZ5tCpx1supxUi2lB2rqhez4SfA7UxKh9QU5Dkx/xHWjmAXJBKaDf4"
    "swUag28CCaRm5ZgGuBdvHZa3MTO7dcRG369YSa6BxbLQBvS7zWJFNyntIt7Ot86HY+oswQ"
    "mOda7/Wl4R/9zjFR4d5f6jLIHIPeey4N8U/FMVf9j/2LL31kbO8At3oRWWPzXlKCEs6HFN"
    "j8SfA7s/l/yuPetYrky80ahqqhVNHkZt0y9uubm7UJXqsb1RMO1ljtGSwenhxbmuocFwTZ"
    "nnPcfk6252Qxm6OiTneigngk6Ts3oJTr4lA/534M/lgSpHNGDmfDPnVNyZoyMR3z9mlqq1"
    "S0tkowf0XEkpCjusqpmGVnWfZ4ZZVwukc0OM3WL0Jz6k1UozVaahGaQNmeNKc9r6jPI557"
    "kl9GKIsfbAf19O9dPb0wDRE+BZGNOXr6P0xVjXGlkL9AiEn1d+TmRlVubkSkHnepS3DiK+"
    "UJic5xSmjV8QdIrptb0XozTVQg9m0jKtCjV4wGK+LTAjCNEJ5NCEdRCbbgbJ5XGgsB1lAY"
    "213hKy5za8ZElamWczuFoZoNlW1DzadLKxXZ6WFLEbA62MS3EbcU1jE4WWA41nIs9Bhgs9"
    "azrfWtJw6uNo43Hz9uMmrlS7bvQzRHSJEjREbZooh2OgJaQ45oR9XTWYwSvqyYsz56DLAp"
    "kr5aDxqWytfUgNZSsbQXUX7GllhutWeZmqoR9yZuO2ElCcqq8IC9Vfoq4ZksOTEqWVVWOm"
    "l/GRIHiHs4ixAM4aDk+DYLJGL+YgP9qE1jMZliBirRjPWOE1RVm5w5UUUVj9tsqiE/ZTXk"
    "+gZUtfYPflXUiWqHlnSx2nRNlNXORVmJ00jC0yhvoe8E0BqifLOJJpug7kQUZ6lpCaNWIP"
    "hl40P2s4prFcmkwktWJ7G5biqOdO6W0ezpiJBF4SF777gdFLORYEwfDDe4P1E4wwgf4yQm"
    "ITI1zWViIeRNzLlGsqGGZS2BZUUq5lLAOuPrl8Fp43ktmru7ububu3vLd3fAkAoYktU51a"
    "SJSdf2Qbt0ZzvDyXZwSTyJH5rrYprM8fgJrVdxPU4dsaycDz7FLz/2jvA6Hlz5FhhKxoam"
    "GQ+cR9HZA7NsN9VbEuOziSkbvqdafM/TXs615nu8yjlZcesBNJxPNs4nUpIoq20/AlYLbG"
    "/bwt8wnQ3TuYLpdK78NZnN+kbmbIXbdNG2gukMYPZx3lMKUjVbEmMHIpxO+FjozeQpm9E9"
    "IsMDiaJOgFPcI8KvjfOUAUwm5zDe4NwpWYF9xtyNNmvsyk/JrKbG/KXzVOllVXfzni/bU7"
    "JhWhumtbZM6+4lSW0pJh3brXz4b50O2u9HmBUIYK/1y6uT897wA+YJmrt16XlG1EG30xbp"
    "g9jcZDLlGYQGwGQORIZVW81ewLnkDEIi07Uk7vU4AR9LkR0AbDJlr5Gqr8mdWDGCBB+fgy"
    "gRsIYwJRBGYZKQPPJwUxGwWtzyZbOsc0wKYywsqSDO0+DrEPhTemFORJkoSVxIFxgHb/L6"
    "VTkCmhPMK7WZoN1blT8+Dlwsk3yhAy5/KvlNEHiDadw93r3APovCNpusypvMp1a+9JlRuP"
    "pdYKVEX/vSb5HUtFHgZmtVeWsFyJVvb8UAm82VaXM5WqRCgeBByGZbVXlbubTKt6fCUM2G"
    "arI9N44XTbbnn4TqCedqLHOo53hRLLtwk1U4b1bhOJYLZxPeQSRnzaQRWWDrpA9uUuNmzS"
    "Lsl48vjiWvSn1dEFSmF12bmao8bSU4zzk9e6t85qg/5jFHuXQ0NMESjf9ZxbZiVMI5yiTh"
    "HK2QcI6iEg5uqhwYdobXELv7mdzP9le4n+0nRIsaup2YNWylt4AL0njP5PQJeNJ0Cz/+H5"
    "aMyB0="
)
