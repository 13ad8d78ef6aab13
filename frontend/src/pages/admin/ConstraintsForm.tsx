/** The constraints a version is published with: approval, quota, default TTL, allowed values. */

import { type FormEvent, useState } from "react";

export interface Constraints {
  requires_approval: boolean;
  quota_per_team: number | null;
  default_ttl_hours: number | null;
  allowed_values: Record<string, unknown[]>;
}

export const NO_CONSTRAINTS: Constraints = {
  requires_approval: false,
  quota_per_team: null,
  default_ttl_hours: null,
  allowed_values: {},
};

const whole = (text: string): number | null => (text.trim() === "" ? null : Number(text));

/** Allowed values are typed as JSON: `{"parameter": [value, ...]}`; a mistake is shown here. */
export function parseAllowedValues(text: string): Record<string, unknown[]> {
  const value: unknown = text.trim() === "" ? {} : JSON.parse(text);
  const valid =
    typeof value === "object" && value !== null && !Array.isArray(value) && Object.values(value).every(Array.isArray);
  if (!valid) throw new Error('Allowed values are an object of lists, like {"region": ["eu-west-1"]}.');
  return value as Record<string, unknown[]>;
}

interface Props {
  label: string;
  initial: Constraints;
  busy: boolean;
  onSubmit: (constraints: Constraints) => void;
}

export function ConstraintsForm({ label, initial, busy, onSubmit }: Props) {
  const [approval, setApproval] = useState(initial.requires_approval);
  const [quota, setQuota] = useState(initial.quota_per_team?.toString() ?? "");
  const [ttl, setTtl] = useState(initial.default_ttl_hours?.toString() ?? "");
  const [allowed, setAllowed] = useState(
    Object.keys(initial.allowed_values).length ? JSON.stringify(initial.allowed_values) : "",
  );
  const [mistake, setMistake] = useState<string | null>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    try {
      const allowed_values = parseAllowedValues(allowed);
      setMistake(null);
      onSubmit({ requires_approval: approval, quota_per_team: whole(quota), default_ttl_hours: whole(ttl), allowed_values });
    } catch (caught) {
      setMistake(caught instanceof SyntaxError ? `Allowed values are not JSON: ${caught.message}` : (caught as Error).message);
    }
  }

  return (
    <form onSubmit={submit} aria-label={label}>
      <label>
        <input type="checkbox" checked={approval} onChange={(e) => setApproval(e.target.checked)} /> Requests need an
        admin's approval
      </label>
      <label>
        Most live stacks per team
        <input type="number" min={1} value={quota} onChange={(e) => setQuota(e.target.value)} placeholder="no quota" />
      </label>
      <label>
        Default time to live (hours)
        <input type="number" min={1} value={ttl} onChange={(e) => setTtl(e.target.value)} placeholder="no expiry" />
      </label>
      <label>
        Allowed values (JSON)
        <textarea
          rows={2}
          cols={50}
          value={allowed}
          onChange={(e) => setAllowed(e.target.value)}
          placeholder='{"region": ["eu-west-1"]}'
          aria-invalid={mistake !== null}
        />
      </label>
      {mistake && (
        <p role="alert" className="error">
          {mistake}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {label}
      </button>
    </form>
  );
}
