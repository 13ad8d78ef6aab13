import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { SchemaForm, withoutNullOptions } from "./SchemaForm";

const schema = {
  type: "object" as const,
  required: ["environment_name"],
  properties: {
    environment_name: {
      type: "string" as const,
      title: "Environment name",
      pattern: "^[a-z][a-z0-9-]{2,30}$",
    },
    retention_days: { type: "integer" as const, title: "Retention days", minimum: 1, maximum: 365 },
  },
};

describe("SchemaForm", () => {
  it("shows the schema's validation messages and sends nothing", async () => {
    const onSubmit = vi.fn();
    render(<SchemaForm schema={schema} submitLabel="Request" onSubmit={onSubmit} />);
    await userEvent.type(screen.getByLabelText(/Environment name/), "Bad Name");
    await userEvent.type(screen.getByLabelText(/Retention days/), "999");
    await userEvent.click(screen.getByRole("button", { name: "Request" }));
    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getAllByText(/must match pattern/).length).toBeGreaterThan(0);
    expect(screen.getAllByText(/must be <= 365/).length).toBeGreaterThan(0);
  });

  it("sends valid params", async () => {
    const onSubmit = vi.fn();
    render(<SchemaForm schema={schema} submitLabel="Request" onSubmit={onSubmit} />);
    await userEvent.type(screen.getByLabelText(/Environment name/), "sandbox");
    await userEvent.click(screen.getByRole("button", { name: "Request" }));
    expect(onSubmit).toHaveBeenCalledWith({ environment_name: "sandbox" });
  });
});

// pydantic's `notification_email: str | None = Field(default=None, pattern=...)`
const optional = {
  type: "object" as const,
  properties: {
    notification_email: {
      anyOf: [{ type: "string" as const, pattern: "^[^@]+@[^@]+$" }, { type: "null" as const }],
      default: null,
      title: "Notification email",
    },
  },
};

describe("SchemaForm with an optional parameter", () => {
  it("shows a text box that may stay empty (nothing is sent for it)", async () => {
    const onSubmit = vi.fn();
    render(<SchemaForm schema={optional} submitLabel="Request" onSubmit={onSubmit} />);
    expect(screen.getByLabelText(/Notification email/)).toHaveAttribute("type", "text");
    await userEvent.click(screen.getByRole("button", { name: "Request" }));
    expect(onSubmit).toHaveBeenCalledWith({});
  });

  it("checks a value against the non-null option's rules", async () => {
    const onSubmit = vi.fn();
    render(<SchemaForm schema={optional} submitLabel="Request" onSubmit={onSubmit} />);
    await userEvent.type(screen.getByLabelText(/Notification email/), "not-an-address");
    await userEvent.click(screen.getByRole("button", { name: "Request" }));
    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getAllByText(/must match pattern/).length).toBeGreaterThan(0);
  });

  it("starts from a stack's params, its nulls left empty", async () => {
    const onSubmit = vi.fn();
    const initial = { notification_email: null };
    render(<SchemaForm schema={optional} initial={initial} submitLabel="Preview" onSubmit={onSubmit} />);
    await userEvent.click(screen.getByRole("button", { name: "Preview" }));
    expect(onSubmit).toHaveBeenCalledWith({});
  });

  it("leaves a choice between two real types alone", () => {
    const choice = { type: "object" as const, properties: { size: { anyOf: [{ type: "integer" as const }, { type: "string" as const }] } } };
    expect(withoutNullOptions(choice)).toEqual(choice);
  });
});
