/** Admins: approve pending deployments, publish / deprecate / retire versions, bundles, teams and accounts. */

import { isAdmin, useConsole } from "../lib/context";
import { Approvals } from "./admin/Approvals";
import { Bundles } from "./admin/Bundles";
import { Tenancy } from "./admin/Tenancy";
import { Versions } from "./admin/Versions";

export function Admin() {
  const { session } = useConsole();
  if (!isAdmin(session)) return <p role="alert">This page is for platform admins.</p>;
  return (
    <>
      <h1>Admin</h1>
      <Approvals />
      <Versions />
      <Bundles />
      <Tenancy />
    </>
  );
}
