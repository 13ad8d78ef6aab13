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
            { logicalId: "Queue", resourceType: "AWS::SQS::Queue", action: "Add", replacement: false, changes: [] },
            {
              logicalId: "Bucket",
              resourceType: "AWS::S3::Bucket",
              action: "Modify",
              replacement: true,
              changes: [{ path: "BucketName", old: "a", new: "b", replacement: true }],
            },
            { logicalId: "Topic", resourceType: "AWS::SNS::Topic", action: "Remove", replacement: false, changes: [] },
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
