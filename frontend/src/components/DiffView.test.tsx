import { render, screen } from "@testing-library/react";

import { DiffView } from "./DiffView";

describe("DiffView", () => {
  it("says when nothing changes", () => {
    render(<DiffView diff={{ resources: [], outputs: [], parameters: [] }} />);
    expect(screen.getByText(/No changes/)).toBeInTheDocument();
  });

  it("lists added, modified and removed resources and flags replacement", () => {
    render(
      <DiffView
        diff={{
          resources: [
            { logical_id: "Queue", resource_type: "AWS::SQS::Queue", action: "add", replacement: false, changes: [] },
            {
              logical_id: "Bucket",
              resource_type: "AWS::S3::Bucket",
              action: "modify",
              replacement: true,
              changes: [{ path: "BucketName", old: "a", new: "b", replacement: true }],
            },
            { logical_id: "Topic", resource_type: "AWS::SNS::Topic", action: "remove", replacement: false, changes: [] },
          ],
          outputs: [],
          parameters: [],
        }}
      />,
    );
    expect(screen.getByLabelText("Queue added")).toBeInTheDocument();
    expect(screen.getByLabelText("Bucket modified")).toHaveTextContent("replacement");
    expect(screen.getByLabelText("Topic removed")).toBeInTheDocument();
    expect(screen.getByText(/1 replaced/)).toBeInTheDocument();
    expect(screen.getByText("BucketName")).toBeInTheDocument();
  });
});
