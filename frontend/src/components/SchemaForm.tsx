/** A stack request form generated from a template version's JSON Schema (react-jsonschema-form). */

import Form from "@rjsf/core";
import type { RJSFSchema } from "@rjsf/utils";
import validator from "@rjsf/validator-ajv8";

interface Props {
  schema: RJSFSchema;
  submitLabel: string;
  busy?: boolean;
  initial?: Record<string, unknown>;
  onSubmit: (params: Record<string, unknown>) => void;
}

/** The schema's own rules (patterns, enums, ranges) are checked before anything is sent. */
export function SchemaForm({ schema, submitLabel, busy, initial, onSubmit }: Props) {
  return (
    <Form
      schema={schema}
      validator={validator}
      formData={initial}
      showErrorList="top"
      noHtml5Validate
      disabled={busy}
      onSubmit={({ formData }) => onSubmit((formData ?? {}) as Record<string, unknown>)}
    >
      <button type="submit" disabled={busy}>
        {busy ? "Sending…" : submitLabel}
      </button>
    </Form>
  );
}
