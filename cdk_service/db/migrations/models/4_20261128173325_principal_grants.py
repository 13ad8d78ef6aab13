from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "principal_grants" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "principal_arn" VARCHAR(1024) NOT NULL,
    "granted_by" VARCHAR(256) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "team_id" INT NOT NULL REFERENCES "teams" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_principal_g_princip_a88221" UNIQUE ("principal_arn", "team_id")
);
CREATE INDEX IF NOT EXISTS "idx_principal_g_princip_f6f1b4" ON "principal_grants" ("principal_arn");
COMMENT ON TABLE "principal_grants" IS 'One IAM principal ARN (a role or user, never a session) allowed to write for one team.';"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP TABLE IF EXISTS "principal_grants";"""


MODELS_STATE = (
    "eJztXW1z2kgS/itTfNmkypuysfNyztVVYazEXBzwAU52N96Sx9IAKguJ1YsJt5f/ft0zkt"
    "C7JRkwEH1JzMz0SHp6pqe71d36uzE1Vabbr1quqjmS4ViLxin5u2HQKYM/UnoPSIPOZss+"
    "bHDonc6HUxwnMxioMd5D72zHoooDnSOq2wyaVGYrljZzNNNAkp7BiMUU01KZSmAkNL8nt7"
    "fwl2nd3hLNJpS4NrMOiGlBu72wHTaFjhH8dCaMQNeDpjCiOTbTR6/woqqpwFU1Y7ym+V1D"
    "+8tlsmOOGYyw4Crf/oRmzVDZd3hs+PkNILGgV76HRoEQ/6mpjT9x6OxeHmlMVyNYa3wkb5"
    "edxYy3nWnjjuF84GPxye5kxdTdqbEcP1s4E9MICDTDwdYxM5hFHYZXcCwXcTdcXff45LNC"
    "PMhyiHiCEI3KRtTVkXtILW5g2daQ5W5vKA+koSw3Epz1KULM8JoU08BVAbdqcwDGeAu//q"
    "PZPD5+2zw8fvPu9cnbt6/fHb6Dsfx+k11vf4ibWaIlpuKYdT52ukO8IROWnliY2PCD01CH"
    "CirOqCX6fEEkGdCeUCsd/oAgxgF4tDgHfLzzWOA3LHmw3DCbYMKUfpd1ZoydCfxsvn6TA/"
    "CXVr990eq/gFEvozB3va6m6EPEIwjjTZWD2KNYF8YbXecRiN+cFED4zUkmwNgVxTcmcoqC"
    "HCPbw9W8NqjTJPajQKeK7X2AeS1CQ2UO1YSWEcX534NeNx3nEEkMZVVTHPI/omt24pBcFd"
    "qNf45cg4stcudquqMZ9iu87L8aa+JBDuQIEc48te2/9DDSLz63foszoX3ZO+OQmbYztvgs"
    "fIKzuBR3krw4BxAdbcoypLiTxgqP5JX/xw7Kc4tRtWfoC++6OZwYdj5Lg2Hr81WEHeetoY"
    "Q9Td66iLW+iO+TYBLytTO8IPiT/NHrSnGuBeOGfzTwnqjrmLJhzmWqhiDyW30Yf6BeOroP"
    "6UbYcEeV+zm1VDnRYzbNrLHJrmlzGm+hBh1zliG4eJueqXHOZrq5mIIN0UgxREK9uYaIGo"
    "wrYYZQB1T/mUMck9wh58EysB14KGygBAg0C2wIaHJggrnmTNAoIDqjNiPziabDDGRuWvfM"
    "IpZr2NCbbo6s6TopZsm3Bp+YQwBC6YE1APtvsHBhINg5/MzRVLgZ02GGspDv2UIYKBFbBu"
    "/E5Tjye5DZ9xncoS3DxubTBddQYEfA7uUdpcyc6+vOeQkjx3U19RXSVBEaj9s6IRnOr4T/"
    "nDyHAOey+ljIgfAO54+eb85ka4GS4U451h24DWooLIH5LqiCjXZfAkF5SsSauzGur875b3"
    "emer8/9lvnvGFsURVazkEq9nu/n+IOcyxzAS39zoeh3L6Q2p+g1dJGjqxMmFjLZbWfoyLK"
    "z1G27nOUUH2W264KE5fUW83G/1xL19L5KYGLuEy9Ma6k7nmn+1FuXV31e19al6dkxgwV2C"
    "CDsLfMB6rDmL70pSN9hWHQa7EHjc1hwI3R+trqDJFY+k1qXw87ve4poXOqOUgON624eNUb"
    "w+tGcq8VqQfX7bYknePN2K6iMKbi/XxodS6xaQQqJf5ut7pt6ZI3KYi7Dq1VlkuziE3SzL"
    "ZJmgmbxBPwieVyZpogto1sC1sQxVbJHVAVWCae7Cy1Snx5W2KVDPvXEnENR9OFT46vbfTd"
    "jTSDAtbQaJDu9SUsF3Er4tj0xir3B8Q2+S+Ul3d4jk5MEJlwEpMpyFVi4qnMoSBLzQFWnk"
    "WCs+1Jgvys17uMqH5nnZiDqnv9+UwCAcEZDoM0J+K3CksFNqsuEwTt5iRCoGqoJY/PRl8C"
    "0TAY4kYL5oBN+nt3eCENOn/wbbowgKe29l/saQ1gpoF8dX122RlcYDe1bebY8sy9A4Nvwj"
    "fvRav7UeKXFMcH7uIJNcZMhqGyp75kCYir3uWlkDmmrvMW70Thjd6hItr5uXIuDaW2mEWc"
    "LWCYMkXM1e59vrqUxA2Y05nOnG0RI2OAoOr68mk3uL4M2Lpll9YFPAOhI9B/uUzwjhBPvo"
    "hjBvTvF177KblbcAXcYXT6nvjHEG+mBqHqVDNebofGENHri7qlIkTbrCtsk1sqbjSVwDuF"
    "tBLqVY7ejYF+1HxXZHE332WvbuxLXd6yqo2ZneKGenSNhyi3eaE3BhetX2HREXPEBZR39w"
    "foH3BA4wTz32KOtSAjy5zyH64NAstbTM/vHZ9Ri05LuWyXFJv32K5xT2zaNzsyLaWsBRDQ"
    "VDMAKkEetGwW8xVq4ejA0wGVCrIohXT/5P8ahIrQxkpJlSXJk8TKliG9aanCXWIz04ssKQ"
    "p+lGp3X8Q1vk6os3S4G4ypNh7EAJg7ZeSFsB8J2I8HxDPw4JKaahe0CTbNTbxvvRQnlxT1"
    "LqqOO7OstPiibNgDghr16qiLF1bm3ChnE8fI9u98XotRnHg7mEA8P1AgjX4FYQNbxogdCR"
    "PwMUnECUSDQfib7BRbLzNqNUzyeOzqqrSBw3XtKhG72jw6eXvy7vjNSRCyGrTkRaom7Qrf"
    "+yjflfIpxchqeVUsINVHrUJMU5S0llLbLKVsh1pOJTZHKWsubzOXR5rBX/NVYHOMtObzNv"
    "M5FGRWks1Rys0EpG72zNyviNQw10VYVxWuRylrrm8L11M2u3f3kZNbuU9Ns8iOGA3TrDJu"
    "dHtF+KNhoinvLR6YZcMdpGKbabtlUG/OjFt/FuKTLLlECH1sJSeh/mBaTBsbn9giEVkTQ9"
    "ULgB/48+wYvD/8teS3LuW+RedBmHhk98LTwzMz8Q6uj7FWnfawkbueV4Dw0Jvyy3LGPcU6"
    "YztnwJ6dDhJycj/4GRexN9Ae3YdPfQZXTE/qDK9w6YHtpBTJgv7HOlNmruCWFG1G9Y8WTU"
    "+biY04yEudmflj5TEOLpE/02l9JgE1afW75AUllqkzTK0XOfYGrBAL812YjSvuJaG6bs6Z"
    "im/U5pbmMJ53j+G4GG2Xnj6znsukZs8ssaAWX7I4PJEhUyrV5WdJ53+iSzQ7syXBk6JO0g"
    "Th/iWVHx0WCgjGYdmBd4cpQcEoCUp7paNU2xxxt01e6dq/kY3+blq6RfwbeLCUNcYCitoA"
    "e9wA4yf3KqwDMc2OgVvcJAgWVcQMaLcG7da5lGcFrFPDFVZvimIbmMPZ+iy3KEtosSIBDB"
    "NAQEUMUo9eEs1bGxiVTYlvOxHPdjogGC2i8qSQHN11VZPfGDfG7S3+KWpYYZg4D1fh3b/Y"
    "xNbdMejBJoaujcQixwDxUzJl0zuYdaLNMPOI2SKIHOkVUJKZ9Yt9Y2gqWF+asyBjy3Rn9g"
    "GhhupdmUzpAlPlyB3DaYMMGDKhNjzQWMNMErhVDS6MpbUsc56tXvt7kiqK6QqhhVMI65Bz"
    "GmUAT1tPJKVHD7vShbXqjPNVZ5z7/CqqHfrj91AvfHNcJPr5ODv6+ThRcCj19MoLMhfj98"
    "/EWT22dbrKc5USWor9woFOS5I9lBtHzUJJczk5c8mUuXGqVzwvVW6c7p7dB4CPiwB8nA3w"
    "cQLgn6JIR3oufpFSHefS1WWQII+qryjU0R52vkinXskFr3YLH8Rf1vMx8cIbmbn2oh2Hes"
    "3bXaZDL1+kQ9+xEh0BH9AhH8CfW6UD0eFFOij/k5s09B6Gm2gUzTy7htshoowioVPTGBOE"
    "RtTosGGoXjABdjM5gopuuioYSVP+wksWbzbLasm5k2yz0Kh8BK4hcTwVxHLFO3OmqKOtC/"
    "m1TdeZuWkvh7P17BDJ7iYQbq36XT1R5xlSdDZpcO7Ia4VC0bKcVQt5Ti2j0julNPqdiY9u"
    "fEWNA2v3cN+oTebMAqWDPwuoHdRBN+Vc03Vyx0JaC7SLx36yNrFzy0UUqnqaUROfY6PVoL"
    "wKjuXrjWEfrwSJNkNonhuj05UHv3fbp0SDc39hKF59L25x4KPimOvup27vaxcV23vA1qhi"
    "a6y+HlSopGWlzZ9GvzOb/6cU9/5bkXKBGlGqPbQq6kCNOlCjwBarE1F+Rq4XSUTBSkLp8e"
    "WZ8Tlhks0F6ByVVHvO3OkMHXUGwZDZhYiOfS/+s4UvTpSgEw+DPxYE+VxQw1lxfnydv/Js"
    "4VN1osUWJVrEvm9RPdsi+kGNPcF/rdkWofyUrIC0IHvlkag0eZkv83hsWou00Qf9wfdBe9"
    "8M4VMQxZxpIMbF10HQ4REqY25R/sVDTb29JfgZRIuHi6UEqK3lCqmBX2pk1fELBN9GrJpY"
    "UX8qEfs28anEgF8JHmSbmGGa2sAsZmCiGQBbcJpS7z/f0ogQ7qGhsbuGRdKe1M2xplC95H"
    "aKUtUbqtiGmk0WdibYQ/Y94/SIke3D+968HST9Nsx/1xhsoMte96M/PP4CMlF11HQthQnU"
    "Siz0BGG91out9bx3OOlQ70YwWtWw4ZUXpLYYtdPs4Gw5sqSoRUgVESI+4l7B8xoj3UONaE"
    "ddr0Uc7ktbsWQhoARhXQ0o38cXtcqf6N3bS8fSQcyxl1hipV166/RUDXmkbMtLmUhxVkUH"
    "HOT5q7yPl3v5F0VdVgZpfR0Qj4hH74r0AhF848XtChAJoGxijLBluuMJ/w4ub8bCHimuql"
    "XOnOqiSuYk1mU/nrPsx/4mCzWOmr+q2lhzIktaq5SvUGcQ7VwGkZBGMkqjshVtUkj3EPLm"
    "4UmRnAAclm0g884o8HXCcgjiw0IIH+YAfFjHR/2s5lrCpngmfReT3tPUXL/MRLZ2y7x87i"
    "KvYVFF8T4Gi+9BsdIG5qvBcPGN6Wj1DD7GK7pBFGpZi7QXryuZM0WPrVXWZ1RZkYulHLDe"
    "+NUcMM8L7ZprNtRnd31212f3hs/utBqcyxqx1WPQktVpd2xJPEscmh8+ma7xeH2PaD1iVG"
    "HNB6+iBtXJ3hPQSHTGnW+hoWRkYrFdrqMYbM5sxy9jlqb4rGLKWu/ZLr3neQ/nvdZ7+PYo"
    "g21AUGs+xTSf8J0lcM5+tx8j2wu0N/2Gv1Y6a6UzR+n0jvwnKpv7m3WyEW3Thy1H6Qwh+7"
    "juKYe5WqxAr0cRLZV7KvxmyoRN6QFR4IJE1cagKR4QEdfGdcoQkun1eVc4d0bF26Vi7mdS"
    "1e+Vn1NZzcxny9apQiR7cc6vO1KyVlprpXVvldbdKwDaUC06chrl8G+c91sfhljxBmhvjK"
    "vrs8vO4AJr4MzcO51/PZdX++xL7ZYojcNmFlMor47TByWzL6qHOppVrRLn6qvjiCrOsjjX"
    "kwx8rPxziLCuAv2EMnR1XcAtY0j48iWYEiOrGbMGxqhMFpZHGW0qRrYXp/y6VdYZFjwxXV"
    "uuiHkW/T4k/qwbew6ZMqHGuJovMEle16zb5gxozjD6QDWBdYLdubXRk8TVqqRXEnDly6Sv"
    "gsErLFEe6O4V9lmctt5k27zJltwqVxoyTrd/B9hasq+X1m+Vsqtx4nprbfPWCrGr3N5KEN"
    "abq9Dm8rxIlRLBw5T1ttrmbeXzqtyeilLVG6quZFwHXtSVjH8SrqfI1UQl4yDwolrl3Lpi"
    "btmKuUmUK1fK3UGQi1bSiC2wujTuuoLEYu+uvU+jV0cp+AL7vgC0zii6FrM0ZdJICZ7zeg"
    "7yYubocsxjgXLZMNTJEnX82ZZtxbiF87qQhfM6x8J5HbdwcFOVQNgbvofoHhUKPzvKCT87"
    "SskWNQ0ntWpYbrSAT1JHz5SMCXjWcgs//g9SJgU5"
)
