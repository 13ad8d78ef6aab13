import { highlightParts, unescapeHtml } from "./highlight";

describe("unescapeHtml", () => {
  it("reads named, decimal and hex entities, and leaves what it does not know", () => {
    expect(unescapeHtml("a &amp; b &lt;i&gt; &quot;c&quot; it&#39;s &#x27;&#X2f; &bogus; &#0; &#xD800; &amp;amp;")).toBe(
      "a & b <i> \"c\" it's '/ &bogus; &#0; &#xD800; &amp;",
    );
  });
});

describe("highlightParts", () => {
  it("splits at the marks only, an unclosed mark running to the end", () => {
    expect(highlightParts("x <mark>a &amp; b</mark> &lt;mark&gt;y<mark>z")).toEqual([
      { text: "x ", marked: false },
      { text: "a & b", marked: true },
      { text: " <mark>y", marked: false },
      { text: "z", marked: true },
    ]);
  });
});
