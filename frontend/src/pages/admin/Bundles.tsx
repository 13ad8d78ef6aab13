/** Uploaded template bundles: digest, package, the versions each holds, who uploaded it. */

import { Empty, ErrorBanner } from "../../components/Status";
import { TEMPLATE_BUNDLES } from "../../lib/queries";
import { useQuery } from "../../lib/useQuery";

interface BundlesData {
  templateBundles: {
    digest: string;
    package: string;
    size: number;
    versions: string[];
    uploadedBy: string;
    uploadedAt: string;
  }[];
}

export function Bundles() {
  const { data, error } = useQuery<BundlesData>(TEMPLATE_BUNDLES);
  return (
    <section aria-label="Template bundles">
      <h2>Template bundles</h2>
      <ErrorBanner error={error} />
      {data &&
        (data.templateBundles.length ? (
          <table>
            <thead>
              <tr>
                <th>Digest</th>
                <th>Package</th>
                <th>Versions</th>
                <th>Uploaded</th>
              </tr>
            </thead>
            <tbody>
              {data.templateBundles.map((b) => (
                <tr key={b.digest}>
                  <td>
                    <code title={b.digest}>{b.digest.slice(0, 12)}</code>
                  </td>
                  <td>{b.package}</td>
                  <td>{b.versions.join(", ")}</td>
                  <td>
                    {b.uploadedBy}, {new Date(b.uploadedAt).toLocaleString()}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <Empty>No bundle is uploaded: `datahubctl templates upload PATH` adds one.</Empty>
        ))}
    </section>
  );
}
