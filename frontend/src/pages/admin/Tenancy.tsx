/** Teams and the target accounts stacks deploy into; admins add both. */

import { type FormEvent, useState } from "react";

import { Empty, ErrorBanner } from "../../components/Status";
import { CREATE_TEAM, REGISTER_TARGET_ACCOUNT, TEAMS } from "../../lib/queries";
import { useMutation } from "../../lib/useMutation";
import { useQuery } from "../../lib/useQuery";

interface TeamsData {
  teams: { slug: string; name: string }[];
  targetAccounts: { account: string; region: string; name: string; deployRoleArn: string }[];
}

const EMPTY_ACCOUNT = { account: "", region: "", deployRoleArn: "", name: "" };

export function Tenancy() {
  const { data, error, reload } = useQuery<TeamsData>(TEAMS);
  const { run, failure, busy } = useMutation();
  const [team, setTeam] = useState({ slug: "", name: "" });
  const [account, setAccount] = useState(EMPTY_ACCOUNT);

  async function createTeam(event: FormEvent) {
    event.preventDefault();
    if (await run(CREATE_TEAM, team)) (setTeam({ slug: "", name: "" }), reload());
  }

  async function registerAccount(event: FormEvent) {
    event.preventDefault();
    if (await run(REGISTER_TARGET_ACCOUNT, { input: account })) (setAccount(EMPTY_ACCOUNT), reload());
  }

  const field = (name: keyof typeof EMPTY_ACCOUNT) => ({
    required: true,
    value: account[name],
    onChange: (e: { target: { value: string } }) => setAccount({ ...account, [name]: e.target.value }),
  });

  return (
    <section aria-label="Teams and accounts">
      <ErrorBanner error={error ?? failure} />
      <h2>Teams</h2>
      {data &&
        (data.teams.length ? (
          <ul>
            {data.teams.map((t) => (
              <li key={t.slug}>
                {t.name} <code className="muted">{t.slug}</code>
              </li>
            ))}
          </ul>
        ) : (
          <Empty>No team is registered.</Empty>
        ))}
      <form onSubmit={createTeam} aria-label="New team">
        <label>
          Slug (the group its members carry)
          <input required pattern="[a-z][a-z0-9-]*" value={team.slug} onChange={(e) => setTeam({ ...team, slug: e.target.value })} />
        </label>
        <label>
          Name
          <input required value={team.name} onChange={(e) => setTeam({ ...team, name: e.target.value })} />
        </label>
        <button type="submit" disabled={busy}>
          Create team
        </button>
      </form>
      <h2>Target accounts</h2>
      {data &&
        (data.targetAccounts.length ? (
          <ul>
            {data.targetAccounts.map((a) => (
              <li key={`${a.account}/${a.region}`}>
                {a.name}: {a.account} {a.region} <code className="muted">{a.deployRoleArn}</code>
              </li>
            ))}
          </ul>
        ) : (
          <Empty>No target account is registered.</Empty>
        ))}
      <form onSubmit={registerAccount} aria-label="New target account">
        <label>
          Account <input pattern="[0-9]{12}" {...field("account")} />
        </label>
        <label>
          Region <input {...field("region")} placeholder="eu-west-1" />
        </label>
        <label>
          Deploy role ARN <input size={60} {...field("deployRoleArn")} />
        </label>
        <label>
          Name <input {...field("name")} />
        </label>
        <button type="submit" disabled={busy}>
          Register account
        </button>
      </form>
    </section>
  );
}
