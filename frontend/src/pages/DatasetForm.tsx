/** The metadata of a dataset its team may change (the API's DatasetChangesInput). Only the
 * fields that differ are sent, with the revision they were read at: a change someone made in
 * between is refused, not overwritten. The API's refusals are shown next to their fields. */

import { type FormEvent, useState } from "react";

import { ErrorBanner } from "../components/Status";
import { problemsByField } from "../lib/graphql";
import { UPDATE_DATASET } from "../lib/queries";
import type { Column, Dataset } from "../lib/types";
import { useMutation } from "../lib/useMutation";

const FORMATS = ["parquet", "orc", "avro", "json", "csv", "delta", "iceberg"];
const CLASSIFICATIONS = ["public", "internal", "confidential", "restricted"];
// Fields a dataset may lack: emptied in the form, they are sent as null, which clears them.
const CLEARABLE = ["location", "glueDatabase", "glueTable", "format"] as const;
const HINTS: Record<string, string> = {
  stale_revision: "Someone changed this dataset after you opened it: load the latest revision and edit again.",
  not_a_member: "Only the dataset's team may change it.",
  dataset_not_found: "This dataset no longer exists.",
  invalid_request: "Some values were refused: see the marked fields.",
};

interface DatasetValues {
  description: string;
  location: string;
  glueDatabase: string;
  glueTable: string;
  format: string;
  classification: string;
  /** Comma-separated. */
  tags: string;
  topics: string;
  columns: Column[];
}

type Problems = Record<string, string[]>;

function valuesOf(dataset: Dataset): DatasetValues {
  return {
    description: dataset.description,
    location: dataset.location ?? "",
    glueDatabase: dataset.glueDatabase ?? "",
    glueTable: dataset.glueTable ?? "",
    format: dataset.format ?? "",
    classification: dataset.classification,
    tags: dataset.tags.join(", "),
    topics: dataset.topics.join(", "),
    columns: dataset.columns,
  };
}

const listed = (text: string) =>
  text
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The fields of `values` that differ from `dataset`, as a DatasetChangesInput (without the
 * revision). */
function changesOf(dataset: Dataset, values: DatasetValues): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  if (values.description !== dataset.description) changes.description = values.description;
  for (const name of CLEARABLE) {
    const value = values[name].trim();
    if (value !== (dataset[name] ?? "")) changes[name] = value || null;
  }
  if (values.classification !== dataset.classification) changes.classification = values.classification;
  for (const name of ["tags", "topics"] as const) {
    if (!same(listed(values[name]), dataset[name])) changes[name] = listed(values[name]);
  }
  const columns = values.columns.map((c) => ({ ...c, name: c.name.trim(), type: c.type.trim() }));
  if (!same(columns, dataset.columns)) changes.columns = columns;
  return changes;
}

/** The messages about `path` and what is inside it (`tags.2`: "tag 3: ..."). */
function messagesAbout(problems: Problems, path: string, noun: string): string[] {
  return Object.entries(problems).flatMap(([field, messages]) => {
    if (field === path) return messages;
    if (!field.startsWith(`${path}.`)) return [];
    const inside = field.slice(path.length + 1).replace(/^\d+/, (index) => `${noun} ${Number(index) + 1}`);
    return messages.map((message) => `${inside.replace(/\./g, " ")}: ${message}`);
  });
}

const problemsId = (path: string) => `dataset-problems-${path}`;

/** The attributes of an input with problems, described by those shown at `shownAt`. */
function marked(problems: Problems, path: string, shownAt = path) {
  return messagesAbout(problems, path, "").length ? { "aria-invalid": true, "aria-describedby": problemsId(shownAt) } : {};
}

/** The problems about a field (and its items, each called a `noun`), after it. */
function FieldProblems({ problems, path, noun = "item" }: { problems: Problems; path: string; noun?: string }) {
  const messages = messagesAbout(problems, path, noun);
  if (!messages.length) return null;
  return (
    <p id={problemsId(path)} className="field-error">
      {messages.join(" ")}
    </p>
  );
}

const NEW_COLUMN: Column = { name: "", type: "", description: "", pii: false };
const COLUMN_PARTS = ["name", "type", "description"] as const;

interface Props {
  dataset: Dataset;
  onSaved: (revision: number) => void;
  onCancel: () => void;
  /** Reads the dataset again (after a stale revision was refused). */
  onReload: () => void;
}

export function DatasetForm({ dataset, onSaved, onCancel, onReload }: Props) {
  const [values, setValues] = useState(() => valuesOf(dataset));
  const [unchanged, setUnchanged] = useState(false);
  const { run, failure, busy } = useMutation();
  const problems = problemsByField(failure);

  const set = <K extends keyof DatasetValues>(name: K, value: DatasetValues[K]) => {
    setValues((current) => ({ ...current, [name]: value }));
    setUnchanged(false);
  };
  const text = (name: Exclude<keyof DatasetValues, "columns">) => ({
    value: values[name],
    onChange: (e: { target: { value: string } }) => set(name, e.target.value),
    ...marked(problems, name),
  });
  const shown = (path: string, noun?: string) => <FieldProblems problems={problems} path={path} noun={noun} />;
  const setColumn = (index: number, change: Partial<Column>) =>
    set("columns", values.columns.map((c, i) => (i === index ? { ...c, ...change } : c)));

  async function submit(event: FormEvent) {
    event.preventDefault();
    const changes = changesOf(dataset, values);
    if (!Object.keys(changes).length) return setUnchanged(true);
    const input = { ...changes, revision: dataset.revision };
    const saved = await run<{ updateDataset: { revision: number } }>(UPDATE_DATASET, { id: dataset.id, input });
    if (saved) onSaved(saved.updateDataset.revision);
  }

  return (
    <form onSubmit={submit} aria-label="Edit dataset">
      <ErrorBanner error={failure} hints={HINTS} />
      {failure?.code === "stale_revision" && (
        <button type="button" onClick={onReload}>
          Load the latest revision (your edits are discarded)
        </button>
      )}
      <label>
        Description
        <textarea rows={3} cols={60} {...text("description")} />
      </label>
      {shown("description")}
      <label>
        Location
        <input size={50} placeholder="s3://bucket/prefix/" {...text("location")} />
      </label>
      {shown("location")}
      <label>
        Glue database
        <input {...text("glueDatabase")} />
      </label>
      {shown("glueDatabase")}
      <label>
        Glue table
        <input {...text("glueTable")} />
      </label>
      {shown("glueTable")}
      <label>
        Format
        <select {...text("format")}>
          {!dataset.format && <option value="">not set</option>}
          {FORMATS.map((f) => (
            <option key={f}>{f}</option>
          ))}
        </select>
      </label>
      {shown("format")}
      <label>
        Classification
        <select {...text("classification")}>
          {CLASSIFICATIONS.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
      </label>
      <p className="muted">Other teams see public and internal datasets (not where they live); confidential and restricted ones are hidden from them.</p>
      {shown("classification")}
      <label>
        Tags (comma-separated)
        <input size={50} {...text("tags")} />
      </label>
      {shown("tags", "tag")}
      <label>
        Topics (comma-separated)
        <input size={50} {...text("topics")} />
      </label>
      {shown("topics", "topic")}
      <fieldset>
        <legend>Columns</legend>
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Type</th>
              <th scope="col">Description</th>
              <th scope="col">PII</th>
              <th scope="col">
                <span className="skip">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {values.columns.map((column, i) => (
              <tr key={i}>
                {COLUMN_PARTS.map((part) => (
                  <td key={part}>
                    <input
                      aria-label={`Column ${i + 1} ${part}`}
                      required={part !== "description"}
                      value={column[part]}
                      onChange={(e) => setColumn(i, { [part]: e.target.value })}
                      {...marked(problems, `columns.${i}.${part}`, "columns")}
                    />
                  </td>
                ))}
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Column ${i + 1} holds PII`}
                    checked={column.pii}
                    onChange={(e) => setColumn(i, { pii: e.target.checked })}
                  />
                </td>
                <td>
                  <button type="button" onClick={() => set("columns", values.columns.filter((_, j) => j !== i))}>
                    Remove column {i + 1}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {shown("columns", "column")}
        <button type="button" onClick={() => set("columns", [...values.columns, NEW_COLUMN])}>
          Add column
        </button>
      </fieldset>
      {unchanged && <p role="status">Nothing changed: there is nothing to save.</p>}
      <button type="submit" disabled={busy}>
        {busy ? "Saving…" : "Save changes"}
      </button>{" "}
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
}
