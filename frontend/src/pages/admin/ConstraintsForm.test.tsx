import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { ConstraintsForm, NO_CONSTRAINTS, parseAllowedValues } from "./ConstraintsForm";

describe("ConstraintsForm", () => {
  it("sends the constraints the service reads, empty numbers as none", async () => {
    const onSubmit = vi.fn();
    render(<ConstraintsForm label="Publish 1.0.0" initial={NO_CONSTRAINTS} busy={false} onSubmit={onSubmit} />);
    await userEvent.click(screen.getByLabelText(/approval/));
    await userEvent.type(screen.getByLabelText(/Most live stacks per team/), "3");
    await userEvent.click(screen.getByLabelText(/Allowed values/));
    await userEvent.paste('{"region": ["eu-west-1"]}');
    await userEvent.click(screen.getByRole("button", { name: "Publish 1.0.0" }));
    expect(onSubmit).toHaveBeenCalledWith({
      requires_approval: true,
      quota_per_team: 3,
      default_ttl_hours: null,
      allowed_values: { region: ["eu-west-1"] },
    });
  });

  it("says what is wrong with the allowed values and sends nothing", async () => {
    const onSubmit = vi.fn();
    render(<ConstraintsForm label="Publish" initial={NO_CONSTRAINTS} busy={false} onSubmit={onSubmit} />);
    await userEvent.type(screen.getByLabelText(/Allowed values/), "region: eu");
    await userEvent.click(screen.getByRole("button", { name: "Publish" }));
    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByRole("alert")).toHaveTextContent("Allowed values are not JSON");
  });

  it("accepts only an object of lists", () => {
    expect(parseAllowedValues("")).toEqual({});
    expect(() => parseAllowedValues('{"region": "eu-west-1"}')).toThrow(/object of lists/);
    expect(() => parseAllowedValues("[1]")).toThrow(/object of lists/);
  });
});
