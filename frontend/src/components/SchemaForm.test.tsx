import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { SchemaForm } from "./SchemaForm";

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
