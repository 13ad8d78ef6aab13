/** A stack request form generated from a template version's JSON Schema (react-jsonschema-form). */

import Form from "@rjsf/core";
import type { RJSFSchema } from "@rjsf/utils";
import validator from "@rjsf/validator-ajv8";
import { useMemo } from "react";

interface Props {
  schema: RJSFSchema;
  submitLabel: string;
  busy?: boolean;
  initial?: Record<string, unknown>;
  onSubmit: (params: Record<string, unknown>) => void;
}

/** An optional parameter (pydantic's `X | None`: `anyOf: [X, {type: "null"}]`) as a field of X
 * that may be left empty, so the form shows a text box rather than a choice of "options". */
export function withoutNullOptions(schema: RJSFSchema): RJSFSchema {
  if (!schema.properties) return schema;
  const properties = Object.fromEntries(
    Object.entries(schema.properties).map(([name, value]) => {
      const property = value as RJSFSchema;
      const options = (property.anyOf ?? []).filter((option) => typeof option === "object");
      const kept = options.filter((option) => option.type !== "null");
      if (kept.length !== 1 || kept.length === options.length) return [name, property];
      const { anyOf: _, default: fallback, ...rest } = property;
      return [name, { ...rest, ...kept[0], ...(fallback === null ? {} : { default: fallback }) }];
    }),
  );
  return { ...schema, properties };
}

/** Values without their nulls: an empty optional field stands for null. */
function withoutNulls(values: Record<string, unknown> | undefined) {
  return values && Object.fromEntries(Object.entries(values).filter(([, value]) => value !== null));
}

/** The schema's own rules (patterns, enums, ranges) are checked before anything is sent. */
export function SchemaForm({ schema, submitLabel, busy, initial, onSubmit }: Props) {
  const simplified = useMemo(() => withoutNullOptions(schema), [schema]);
  const start = useMemo(() => withoutNulls(initial), [initial]);
  return (
    <Form
      schema={simplified}
      validator={validator}
      formData={start}
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
