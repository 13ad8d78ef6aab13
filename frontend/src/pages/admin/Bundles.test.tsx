import { screen } from "@testing-library/react";

import { fakeApi, renderSignedIn } from "../../test/api";
import { Bundles } from "./Bundles";

const BUNDLE = {
  digest: "58667d4952bbb5c766e974b3e41cbcd6f162027be8ded3906a8df08fa5fcf510",
  package: "team_setting_template",
  size: 2048,
  versions: ["team-setting@1.0.0", "team-setting@1.1.0"],
  uploadedBy: "ada",
  uploadedAt: "2026-12-08T03:40:00Z",
};

describe("Bundles", () => {
  it("lists each bundle's short digest, package, versions and uploader", async () => {
    const { api } = fakeApi(() => ({ templateBundles: [BUNDLE] }));
    renderSignedIn(<Bundles />, api, { groups: ["admins"] });
    const digest = await screen.findByText("58667d4952bb");
    expect(digest).toHaveAttribute("title", BUNDLE.digest);
    expect(screen.getByText("team_setting_template")).toBeInTheDocument();
    expect(screen.getByText("team-setting@1.0.0, team-setting@1.1.0")).toBeInTheDocument();
    expect(screen.getByText(/^ada,/)).toBeInTheDocument();
  });

  it("says how to add one when there is none", async () => {
    const { api } = fakeApi(() => ({ templateBundles: [] }));
    renderSignedIn(<Bundles />, api, { groups: ["admins"] });
    expect(await screen.findByText(/No bundle is uploaded/)).toBeInTheDocument();
  });
});
