/** Shapes the API returns that components render (a subset of the GraphQL schema). */

/** What a template diff says happened to a resource, output or parameter. */
export type Action = "add" | "modify" | "remove";

// A deployment's `preview` is a JSON value: the service's own model, keys in snake_case
// (cdk_service/cloudformation/diff.py and models.py).

export interface PropertyChange {
  path: string;
  old?: unknown;
  new?: unknown;
  replacement: boolean;
}

export interface ResourceDiff {
  logical_id: string;
  resource_type: string;
  action: Action;
  replacement: boolean;
  changes: PropertyChange[];
}

export interface ValueChange {
  name: string;
  action: Action;
  old?: unknown;
  new?: unknown;
}

export interface TemplateDiff {
  resources: ResourceDiff[];
  outputs: ValueChange[];
  parameters: ValueChange[];
}

/** A deployment's preview: the change set CloudFormation made and the property-level diff. */
export interface Preview {
  change_set?: unknown;
  changes?: unknown[];
  diff?: TemplateDiff;
}

export interface StackEvent {
  id: string;
  timestamp: string;
  logicalId: string;
  resourceType: string;
  status: string;
  reason?: string | null;
}

export interface Column {
  name: string;
  type: string;
  description: string;
  pii: boolean;
}

/** A dataset's metadata; another team's (`access` metadata) comes without where it lives. */
export interface Dataset {
  id: string;
  name: string;
  team: string;
  description: string;
  location: string | null;
  glueDatabase: string | null;
  glueTable: string | null;
  format: string | null;
  classification: string;
  tags: string[];
  topics: string[];
  /** Sent back with a change: the API refuses it when someone changed the dataset since. */
  revision: number;
  /** owner: the caller's team (or an admin), who may change it; metadata: another team's. */
  access: "owner" | "metadata" | "shared";
  columns: Column[];
}

/** One team's read access to another team's dataset, from request to revocation. */
export interface DatasetShare {
  id: string;
  datasetId: string;
  datasetName: string;
  ownerTeam: string;
  requesterTeam: string;
  principalArn: string;
  reason: string;
  status: string;
  needsAdmin: boolean;
  requestedBy: string;
  ownerApprovedBy: string | null;
  adminApprovedBy: string | null;
  decidedBy: string | null;
  deploymentId: string | null;
  error: { code?: string; message?: string } | null;
  createdAt: string;
}
