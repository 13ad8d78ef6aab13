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
    "eJztPWlz2ziyfwWlL5NsafJiO06yzqutkmXF0caRPZKczEw8RcMkJHFNkVoedjR5+e8PDf"
    "C+TFKkRDH8klgAGiS7cfTd3ztLTSKK8aJnSbI5UE193TlB3zsqXhL6R0xvF3XwauX1QYOJ"
    "7xQ2HMM4gdCBMmE9+M4wdSyatHOGFYPQJokYoi6vTFlTAeRSJUgnoqZLREJ0JG1+h25v6V"
    "+afnuLZANhZBlE7yJNp+3G2jDJknbM6E9zQRDtepBFgmTTIMrsBTxU0kT6VFmdVzS/pcr/"
    "tYhganNCR+j0KV//os2yKpFv9LPpz68UJTrtFe5pI8cQ+ylLnb9g6OpemMlEkQK4ltlI1i"
    "6Y6xVrO5XnQ9V8z8bCl90JoqZYS9Ubv1qbC011AWTVhNY5UYmOTQJPMHUL8K5aimLTySEF"
    "/xBvCP8CH4xEZthSgHoAzV/Aa+sIwuhyKkwGU0HoRCjrQPiIYTeJmgqrgr6qwRAwh1f49Z"
    "+Hh0dHbw5fHr1+e/zqzZvjty/f0rHsfaNdb37wl/GwxadiOBueD0dTeCGNLj2+MKHhB4PB"
    "JuZQjFAe9tmCiBKgv8B6PPpdgBAF6KeFKeDgO40EToNHA2/DbIMIS/xNUIg6Nxf05+Hx6x"
    "QEf+6N+x9642d01PMgmkd21yHvA4wHMAwvlQ/FNkRVON7qOg+g+PWrDBh+/SoRwdAVxG/o"
    "yMmK5BBYA1dzZaiOO7GfRHTssd0ENFdyaEjExDLnMoJ4/vfkchSPZx9ICMuSLJro/5AiG5"
    "FLsixsd/53Zqns2EJ3lqyYsmq8gMf+q1MRDVJQDiiCmZeG8V/Fj+lnn3q/h4nQv7g8ZSjT"
    "DHOus1nYBKfhU9yM0uKMItGUlyThFDfjSGGDvHD+2MPzXCdYulSVtf3cFEpMh58Gk2nv01"
    "WAHGe96QB6DlnrOtT6LLxP3EnQl+H0A4Kf6M/L0SBMNXfc9M8OvBO2TE1QtUcBSz4UOa0O"
    "Gn8AXzq79/FG0HCHxftHrEtCpEc71JLGRruWh8twC1bxnJEMkAuvaYsadC1hg5idGCnE6U"
    "oVQSQ+KKP0MaUcvkJXnGGiJT02ABhpM6RRocGeiMoFjyoVHe7WVFAwCV6+A1EALegZoulr"
    "kB9klQoYD7JBpzSi8kclT4iRQKjIQUGhk2Htr5BEkkvquL4enuWQOSxLll4ATJE9/LTo4T"
    "tS2ZPgn1e7OE/Z0XnEt6V/w7FPT5cuHNpk5hXs8Q3ke4+yMGNHyczYUZhFYP/nwK0zvoEs"
    "2MHh2wzYpaMS0cv6wiyY92YRNE/JtwT1RAhse9ju7OBomA5+n6azWu79fnE5OneGh/mvIO"
    "IVTcR5RWY/TCGU2ydDxeu7MzlC1+Mh3ISgZINzM3xzZlrvLw+zyHYwLHnFs84g5ucKvV3h"
    "pe7oBZ0H/RHAGtOgsJh3nEnMO04R845jEc55uLzYdqFaVGdC9UzTl3FCXDKaPYjmofjoMA"
    "OGjw4TEQxdQfxyvOXSWPhA6qGxgOc1RmNh4nkuajjjW1KUTwptJYv5iOFCtOQonRyigg1D"
    "nslpbOZAtZaMNEP6qlgVSfT0isxSZ8mqc3V9ejHsn6CVdafI4o06HE0H41Hv4gRRMhBdxc"
    "qN2qfLcXg2GE2H0E6pNJMlopoy9I0Hk+l42J8Ozk4QxS2lqAjfVIR7zaIvP0hWlx9EtOWO"
    "lihKykQrsh/kaVtyWXQ7yEm0U2u5IhKiO5E8EH2NxAVW5yQj0rl9+fDg1ZtXb49ev3LNym"
    "5LmjXZsRz7do1OABvC3ToPExWEqvMOqZP5x1pJBXAdhGpxnQ3XzgrNb+EJQm7H0rNd7DfL"
    "1BO3w/JTPQjZUr0uVHdw5CO7/fYe1SkrJ97H+i8k2378MBtYgGqmDihu74kYTEPojeL2va"
    "YTea5+JOsIRx1CqG3xnDjz7CVOvVbvFXX86BohAyuKfjz9ZGKyz6cvgEbXFxedH8lGaB+2"
    "KSNAYqTKUxvu/ccxUZKEk6BteQJT7eFRlYTxH1sw1Y8dCSLZZD/2CRlPmu4F19bNhmfyIO"
    "byADI1hB2z+gl6XGhd+g9R4V9ZXCD+XejZHZnRnYiwKiE8ozLf83fonqxM/gPxZRjvSVzR"
    "c2Lt+Q46+P5w5bSNLPutPzH0bcOfOEi9rHdsEKpMP4vd+gBs4lVRXy+KXfq0lu5GsTe6o+"
    "qPjtJURXV0eS9FiWpL/F1kC4EQPMPvs5poQvlFnVtJF4CqMwVqpTiysVZAcRSAbFUIdVEh"
    "ZFEccdrls3N7INu35hU45dh3IfhgSiTOzHc58/4j2ym3DYNevfy2uQCdLAm6AvbTYqAn1m"
    "eTAYHb+8VAsOMQFkViGExOUzUQqZxe1+ca4jvBCVubMW/rYe8TWlFaivKKPiFe+Cv7AU/H"
    "kbZe2zv12ga/fF3IK3UEoVoP7iyiB/1KwyyA6yhki++n8e2eQwLWc0knEcAGsshV+RTTa8"
    "PI50HvQTQCzdt2nzdMbFox/Gk2ryYPeouRC85x5qyFzJzqePDbNWXouU+SPceN2ru6Gl9+"
    "hkbKbenaA7Sdj3uj6XB0foLmOlZNSjC7DYaxJhg1Hvx74Lg4/YeIdtvny48MUicP2j2DZG"
    "18GG2CUe97wwtomGFZqYsyQCVEMqhos5Rj9t+ppikEqwmxQkHI0FK4o6BVrQW3Jccq6AVc"
    "1RxWdGNR5fTy8iKwO0+H4e13/el0QInCaEIHyWZASx696fMqZsJwjTgQt6Ca4byos/tzIj"
    "0WuHkhANUkO4EjoyjiY4FbxGdMGCHSAzAvxoNQNUZ158tCc+/k/7Fv3SK3bEXIXynaeknv"
    "n7x2zzBg7R2M/IH9jG0CEwinB/K+ZuO7N4d1lOh6XAarZHWsC7CRMrZmR8zWYyj2ymu2zY"
    "/SOs22VC/oNFt/l566nLTFPWd9MuuGvrO+bEH7idgn3WeDKyvgQNvvTfq9s0Ga/2ylxkCP"
    "AYozBQbYoxRDoDsuhxUQmyZZrkywzN0BlhFGzM3Y9tkkhqwTCZpMOsGjbC6YdU4hFJPgva"
    "nQGdCjpt8Tys1ZqkF7442BFT0n1hPUdScH76AH0qG4/+qZPqCDCi/LlWYSVVwL92QdcRL9"
    "6tNnsncQyLcVfUMDLiI2nfsMH1uSL1dta38s2/6YnMrzaf31PuTz7PTHA3qvnyC+5m7U66"
    "sz9ptzSfD7fEyPMWigMpZEW84g+vbyjxPYYaaurWnLePh+KvQ/DPofaasuz0xBXBC+lnev"
    "et4/I0QBMv52PbgGnT99iAU2gKvB6Gw4Ohe4/QFCqFdElSgZbJ0WhFFfjQefh4MvzJ6wAk"
    "dS8sgsCr0vvSHYJ4TB74P+9XR4OTpB+BHLYKmghxYRLXjqjWp3A7jdCtCT635/MDiDlzEs"
    "USREitokbtR+b9QfXLAmEfCuFLRUZDIUppgJo0ZC+4CPLJdUI4UHVMw+UUSCd87bPAqT8f"
    "UAWaopKzyxOlvbkN5wJquY4po2qizqh2539ir82rTHivddZGhutijIr4QWGoRZYBMt6bnK"
    "nG04KnwKGLrydOTebXUxg9Bre1X8TOCw+2uWnPwxmn4YTIZ/sm26VilNDflvZrCc0JkmAk"
    "vRMPnADJcGJPMUWLIGY8E274fe6HzAHsmvD9jFzLFQAGbYZl+SDoiry4sLfuZoisJa7BuF"
    "NdqXCm9n98rZYDro81n43SJRDlvkc/UvP11dDPgLaMtVYe/n8o+ROUVB0fXlwG5xfal06+"
    "ZdWh/ANZMHUsGZYF8h9vnimE7QM7v9BLKrAgPO86s61xBrxipiBpfn9eAYAnx9bj+ouvMK"
    "dTIVhYWmHPiOAa2x0aioJ1QV2UTtlSpI8pwYudLQRSHrvNA7kw+9X+mic1Jc2m/fBf2AST"
    "lOKv7rxNTXaKZrS/bDMuiBZS+m3Zc4WGEdL3N593sQ++DcX1uD0kzTxbwSgAtTbwelMnBe"
    "IhcOCjyw4BY4i2JAm3f+V3CocG4s16nigbRm6g3M1KASW2l2WG72gC0/VD0yMBapptL5ss"
    "Cmp3BnXp1wEVOEWUuCntlpHVjcji3g0UfKkpFRJtg2NeG9lVyU9CDaXVQc762LzS6wzg1W"
    "zBs1zx0dAmve/VyJUByxDkYwnu7gEgdfgptLzQixv14tUWcm25IdI+slJv7wg2wv8cfLqn"
    "ZV2Vk/Cnp9t/7eRRztHawVKEwXBG1PqTqfUoaJ9WIul0HIlsp1pvJMVpmZrwCZQ6AtnetM"
    "5/3ymm8dqJ8me+s2/zNSPYvb/A5zTdeNymWlwbSNDw9Eh/SLsbhNlN0SoNv8jbYklxKcsO"
    "203nVDb9bAhMS83k7tnE7qei4Bw1N7ys/ejA3FdcJ2TkB7cjiIT8n94ERchCzQOdKpsxU+"
    "eCB7eYokob7SZOpXTmqlcwgm7sSEzYRGdNNCZ7xETSw2OUf8TCBPHeqNR+gZRrqmEIhvtg"
    "yid5EKNZgg3oUYsOKeI6wo2iORwKL2qMsmcXPfgbddfPhMNY+JjZ6JJK1iqcI2SqP+s+RQ"
    "31AlmhzZUv8MZLvL91ZZUWOe3CmnVjoIVWePuzpppVv9RjL291PSzaLfgIslrzDmQrQC2N"
    "MCWHx60ALSAZ9mz5CbXSRwF1WdgsInBOvi4kwTraTA8NCIVA7XYGMFyR6ckcPtIQfA8cu+"
    "4kfA5LcLxKdE8LVElWAOkZh2MZ8uZTK/mayUD4SRPNIFt4C6Bw9ENDU9yuNW+aCn80Z/73"
    "g0oUeWJBN7P/BZIOK7Q76tdM5Zu6Rz9Rwh3ArOFAKHF+Y8HaKzrc6HzOmHvreO4TcX732v"
    "wEpq530oAGV50lf3WGAxzyyaPagvdiPiYxn8nKEfm4R7bIXJZ2g4kQuFor19mYEXevsykR"
    "WCrqIx7Qno3oM49qKMfumxY5D401zHsiDJGA4ANRDN5buxU3wpMSEayZmcXYBGoDeNY68i"
    "kbP/NXMgPQTWor4A6u80KeZyTMa5M77OyO5csnodnN+ARzOOC2K44SsoA8YC2SjPrAMzpq"
    "1k0ch2lW6bOFsth1czZ5iqSyQ4ZpV8+PVgWhw/jeO03DiJbgGb5MOpNX6PDjPg9+gwEb/Q"
    "FVrDIHVFsJscrOKMr0ecFzxvF/m6qgm/UzCVemeyiOO5mJSShBHI5i39KpJozHPi2YNoHn"
    "7LP1qwKGpWXCxpWmVTF6R5GD7IguGDZAwfRDAMlXXphwumJmBFiSI6NR9AFHiLiQEKcORX"
    "Tnon5PBQwIZDo8g1oSrlxlWvpMnmDHmJaQT8+tUgjXq6jtcJu8EHFKLNPly0rAzBEq+pFE"
    "WQTIWn7//4gR4hgZu99FgaVKAJoa+AvoPo8eMdsl/NS+zG9ckssxs4crB+ZIhYhaRwkNsN"
    "iXQWov9i0KeZ4oKUI4p9/SusYvDZHLKyS36YNuPJBsxRotvfqTxPtJz6gOpsOe1cWuad9g"
    "3JYM5BOpkpdMUb75CmSETnbkx0let06c9VTc+cP46bWf95eHh09Obw5dHrt8ev3rw5fvvS"
    "tbdGu9IMr6fDczjXAuSLHnSt+36h86ZGTgyZYnNsG2GExNPJZ9aTtB8dqKe5uwzebzWm5+"
    "TzoD+9HDP8Gpqli8Rn6PJU/SH1M9OM/sWfNJOZjZgyj8D1QC838/IZetDADs4+AzBMdjD4"
    "fFBrUO6Zm+ovKG3Yokkw5dv93QyGfIUNzWzG58PBtm5oS+IyFs6dTPkFviBPKAtBV5S+ht"
    "wvEm1e0TNY/obuiEjhDMaE+B4dsuFX8JQbld4DogbXF3pGvtHPtLkeRdPurZXxvItUDXLV"
    "2FMwtgfBeAT+sGvfO8Gs9Nzm8JtWlFZcUmUV6DyI+trCi/oEvnyVJfUhDEv2CmSdccbwWm"
    "1hzp8MVFNfJ+9j/6Asm1lj47PtZfAGt/MvUZmBUR+2k2+PgQsAEwO5pZryUu+QBKQjIBkC"
    "a0U3HYlxwil36qc319cOfsAyW+A2qyNLOYsopLG8DXMu3wr3+nM5onTsROm2mgRiKfxGqd"
    "3rZVsHla04qLTu54U4+32T1MK3TR5Ch2H3h9SdkWay3MkyvaTvyIxKR5QVlimXbb/mT7YI"
    "2vRdjJ0oLX2Xgg1TSMj0mOz5FIRqgoVrG+5MtRKFpkRfdhJlINabRfgx6cDMegzQF4ARRW"
    "Xihq1f4P5ozD6iifjOUjCV+01IYTuz/v57zXUCUHNO1HQd9MlM+SCDokGLC0Wo5iEbKBvg"
    "hfJwgM74xikaymL96qpiYIku4raUW9EweTfBkByB67zmE9R8YYW47WpDz+l65+FgoDHDrj"
    "iEbPtRF0GCWInVgUkJVy9r8hv1Rr29hT9vb6H0FWw/lqGWdf9iIEOx5o4GcMbj2qAmxAla"
    "kuUdnXUhrxDXKbK6EQDvWEhvVFmy1RhzXbNWRpdpNviTmbEWlI02w+QUvUELbCDwfYHiMY"
    "QZqTCYXXXtMTmi3nEk9bl0eO4zjNJwBbNKlRENSVDAyK0faYtMll1k0qFX1rPYGd9EQbwC"
    "N+ItumhnQO4Ob7rScdtWqNmRv8YOnP/qhvKqvf+27r9abwSX78D6U9TljS+/maU679ng6s"
    "KtiQmsL6/N258OPw9O7CqrdrlmNog5+LAx4Vq7ieU1eTsMtZvrXZlXyV+XV9mzqrwuHcBu"
    "5KI/tTAvYId5b2L2JxNp8D0droFQtLLlGiaHmFinMgTCS02dI0ANL8tr0KFKxpp32/HnFR"
    "XNkqiQtGQRFwJPZpiXS06dpM6HRuErsIJakbFIzGc7TJmiCTraLaSy0ixzZcWZF5L5bB9I"
    "PWLJitQMqy37Xbw2zw6q8mxT4GySVY+Rai08Yl0tZMePg9+bkgidL8BxQPojphuFLEg6ZT"
    "rYt3AThWxSHkRR0B3xcS20nX/2xtzE3i0XXpt+M6EmPMdWC8CbAqs1SaScp3QH+vofBv2P"
    "IDP45rlRhyNh8seof4Jkeu+vVZHKHOPheyYNsU+FMdejj6PLLyNgbO8pbtUiskb5XlKcEv"
    "aHFNj8cfB7s/l/yuPesYrky80ahGqgVNHmZt0y9pubm7UNXmsa1WMO1kjtGSgeHh9bmugc"
    "5wfZnnPcQU6259RarkBRp9pRQSyS9J0TUMp0caCfcz4GfqwR0Dkjh1OyT11bsqZKTEe8fd"
    "raKjWtreLPXxGyJOSornLGZ9lblj1aWSWY7hEMTsvNi9CcuRM1aI1WWoTGV7YnyWnPLerz"
    "hOee4JURyuIH2wc9/XtHT89NQ4hNgURtBZ7+jwtZIUwp5C0QpGP1Hbq9laXbWx6px1zqYp"
    "z4KnlCrHOcFFh17AGC4+ZWtN5MGxUIfduICnTpFaFBSnyaD6YVwrMJ4SAq0S24XOWVxgKA"
    "DRTG9lf4isrcijaXRazk3E5BqHZDZdtQq8XaSER2cthSCKwJNvFtxC0FdQx2FhiGtRwLPQ"
    "LYrvVsa33riYPrjePy48d1go18yfY9iPYIKXKEiCBbFNFOh0AbyBHtqXo6i1HCkxVz1keP"
    "ALZF0tP1oEGpfEMNaCMVS92Q8jOyxHKrPavUVE2ZN3HPDiuJUVYFB3TT9FXcM1mwY1Syqq"
    "xU1PsyQTYQ83DmIRjcQcn2beZIhPzFGvhR65o1X0AGKt4M9Y5jVFVlzhyroorGbbbVkHdZ"
    "Dbm5AVWdg8NfJXkum4ElXaw2XRtltXdRVvw0EuA0ylvoOwa0gSgvN9FkG9Qdi+IsNS3pqB"
    "QEv2x9yH5Wca0mmVRYyeo4NtdJxZHM3RKcPR0RsCgsZO8ds4NCNhKI6aPDNeZPFMwwwsbY"
    "iUmQiHV9HVsIuYw5N0g21LKsFbCsQMVcClh7fPMyOJWe16K9u9u7u727t3x3+wypFEOivM"
    "KKMNfxxj5oV85s5zDZHi6JnfihOS6m8RyPl9A6jeux64hl5XzgKV75sXeI1fFgyjffUDTT"
    "FEV7ZDyKSh6JYTqp3uIYnzKmbPmeevE9u72cG833uJVzsuLWBWg5n2ycT6gkUVbbfgisEd"
    "jetoW/ZTpbpjOF6bSv/A2ZzeZG5myF2zy1VElJ5TntEZk4T+GODc6RwdhaKRqWIF8wgzzh"
    "oQjynPKEXbSin0pfv2uXTeXLBfJgLDT6jV30uNC8CWQzPo1x6U9o2dN6saeclrnsbC5E81"
    "jU0v0i7S2SB78+kEYwTltgUw357xgUJ54NzvA2HDgm8DqZsUhO3+aHqUf+tiIlyssQBSrJ"
    "3waVzen75CKJH6YlSekkcdianPl3QmBNPN+rCN9w0VYkF0sAtJWGGyQNb0PEcyTjFBnPJz"
    "xnEPL8d2U2Kc+GCFaM4ZKYIS7IEneRSB/oimU8dImZDXxLJV6+K3HuhMIvnu3FSSjSug7v"
    "UuBLTOuSfGv5QBp4Y5Uv9LV2idYu0Vi7xP7VwehIOp6ZOSWPztm4934KiV8p7I16dX16MZ"
    "x8gFSwK+uOijILXqriajzo93iGWLLSiYhZktgx5ZzGvIiGKevFClKUnySWFzMS+L2eR5aM"
    "ALbFkDYQHdv0+DUjiP/xOYgSAmsJUwFhJCLkN1CEwBpxy1dup4C8n5plCAVxngTfhNwOVe"
    "OeoUxcYHVezN0jCt6mbq9zkitGMPyAZY7rCLlTS4RFgYsVCyt0wOWvFlYGgUus1MW9GAqc"
    "bxHA9mDLcKk4klKBUy0M2x5pdT7SPGrls4eF4Zq3qyqxh3m6hiK1XsLA7daq89bykSvf3o"
    "oAtpsr0+aydXaFMqv5IdttVedt5dAq354KQrUbqi2f1PputOWTfhKqx5yrkVIcrptLsXI9"
    "bZmegB9HxBcqiugolguX59lDJCdF/3ST6vJsXo+nrTWTtSwPzzu5GZZYBZkmIahKn8Ue0W"
    "Vx0YlxVbR7umkeitgb85RbYjIa2vCu1tuvZlsxLOEcZ5JwjlMknOOwhAObKgeG7eENxO5B"
    "Jme/gxRnv4OY9Euaasam4U71zXBAWl+lnB4YO3XA//H/rTavtg=="
)
