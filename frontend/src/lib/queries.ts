/** Every GraphQL operation the console sends, in one place (checked against the stored schema). */

export const TEMPLATES = `
query Templates {
  templates(first: 100) {
    edges { node { name title description latestVersion { version status } } }
  }
}`;

export const TEMPLATE = `
query Template($name: String!) {
  template(name: $name) {
    name title description
    versions { version status title description paramsSchema outputs requiresApproval }
  }
}`;

/** The variables of REQUEST_STACK. */
export function requestStackVariables(request: {
  template: string;
  version: string;
  team: string;
  name: string;
  params: Record<string, unknown>;
}) {
  return { input: request };
}

export const REQUEST_STACK = `
mutation RequestStack($input: RequestStackInput!) {
  requestStack(input: $input) { stack { id } deployment { id status } }
}`;

/** What the stack list is narrowed by; an empty choice is no filter (status: live stacks). */
export interface StackFilters {
  team: string;
  template: string;
  status: string;
}

/** The variables of STACKS for one page. */
export function stacksVariables({ team, template, status }: StackFilters, first: number, after: string | null) {
  return { team: team || null, template: template || null, status: status || null, first, after };
}

export const STACKS = `
query Stacks($first: Int!, $after: String, $team: String, $template: String, $status: String) {
  stacks(first: $first, after: $after, team: $team, template: $template, status: $status) {
    edges { node { id name team status templateName templateVersion updatedAt } }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** The choices of the stack list's filters: the caller's teams (admins: all) and the templates. */
export const STACK_FILTERS = `
query StackFilters {
  teams { slug name }
  templates(first: 100) { edges { node { name title } } }
}`;

const DEPLOYMENT_FIELDS = `id kind status createdAt finishedAt requester error { code message } preview`;

export const STACK = `
query Stack($id: ID!) {
  stack(id: $id) {
    id name team status params outputs templateName templateVersion expiresAt driftStatus
    deployments(first: 20) { edges { node { ${DEPLOYMENT_FIELDS} } } }
  }
}`;

export const DEPLOYMENT_EVENTS = `
query DeploymentEvents($id: ID!, $after: String) {
  deployment(id: $id) {
    ${DEPLOYMENT_FIELDS}
    events(first: 200, after: $after) {
      edges { cursor node { id timestamp logicalId resourceType status reason } }
    }
  }
}`;

// Updates and upgrades are previewed first, then deployed with APPROVE (the team's own gate).
export const PREVIEW_STACK = `
mutation PreviewStack($id: ID!, $params: JSON, $version: String) {
  previewStack(id: $id, params: $params, version: $version) { deployment { id status } }
}`;

export const DESTROY_STACK = `
mutation DestroyStack($id: ID!) {
  destroyStack(id: $id) { deployment { id status } }
}`;

export const APPROVE = `
mutation Approve($id: ID!) { approveDeployment(id: $id) { deployment { id status } } }`;

export const CANCEL = `
mutation Cancel($id: ID!) { cancelDeployment(id: $id) { deployment { id status } } }`;

/** The variables of SEARCH, without the page: one chosen value per facet. */
export function searchVariables(query: string, filters: Record<string, string>) {
  return { query, filters: Object.entries(filters).map(([name, value]) => ({ name, values: [value] })) };
}

export const SEARCH = `
query Search($query: String!, $filters: [FacetFilter!], $first: Int!, $after: String) {
  search(query: $query, filters: $filters, first: $first, after: $after) {
    edges { node { kind id title team template status highlight sharedWithYou } }
    facets { name values { value count } }
    pageInfo { hasNextPage endCursor }
    totalCount
  }
}`;

export const DATASET = `
query Dataset($id: ID!) {
  dataset(id: $id) {
    id name team description location glueDatabase glueTable format classification tags topics
    revision access
    columns { name type description pii }
  }
}`;

// Apart, asked only by the dataset's team: for other teams the history is null, and the page
// need not load it (nor the long list) before the metadata they may see.
export const DATASET_HISTORY = `
query DatasetHistory($id: ID!) {
  dataset(id: $id) {
    id
    history(first: 20) { edges { node { revision action changedAt changedBy changes } } }
  }
}`;

/** Changes the fields given in `input` (a DatasetChangesInput), refused when its `revision` is stale. */
export const UPDATE_DATASET = `
mutation UpdateDataset($id: ID!, $input: DatasetChangesInput!) {
  updateDataset(id: $id, input: $input) { id revision }
}`;

export const PENDING_APPROVALS = `
query PendingApprovals {
  deployments(status: "pending_approval", first: 50) {
    edges { node { id kind status requester stack { id name team } preview } }
  }
}`;

export const ADMIN_TEMPLATES = `
query AdminTemplates {
  templates(first: 100) {
    edges {
      node {
        name title
        versions { version status constraints codeChanged codeAvailable publishedAt publishedBy }
      }
    }
  }
}`;

export const PUBLISH_VERSION = `
mutation Publish($name: String!, $version: String!, $constraints: JSON) {
  publishTemplateVersion(name: $name, version: $version, constraints: $constraints) { version status }
}`;

export const DEPRECATE_VERSION = `
mutation Deprecate($name: String!, $version: String!) {
  deprecateTemplateVersion(name: $name, version: $version) { version status }
}`;

export const RETIRE_VERSION = `
mutation Retire($name: String!, $version: String!) {
  retireTemplateVersion(name: $name, version: $version) { version status }
}`;

export const TEAMS = `
query Teams {
  teams { slug name }
  targetAccounts { account region name deployRoleArn }
}`;

export const CREATE_TEAM = `
mutation CreateTeam($slug: String!, $name: String!) { createTeam(slug: $slug, name: $name) { slug name } }`;

export const REGISTER_TARGET_ACCOUNT = `
mutation RegisterTargetAccount($input: TargetAccountInput!) {
  registerTargetAccount(input: $input) { account region name }
}`;

// Dataset shares: a team asks for another team's dataset; the owner previews and approves.
const SHARE_FIELDS = `id datasetId datasetName ownerTeam requesterTeam principalArn reason status needsAdmin
    requestedBy ownerApprovedBy adminApprovedBy decidedBy deploymentId error createdAt`;

export const DATASET_SHARES = `
query DatasetShares($direction: String!, $datasetId: ID, $status: String, $after: String) {
  datasetShares(direction: $direction, datasetId: $datasetId, status: $status, first: 20, after: $after) {
    edges { cursor node { ${SHARE_FIELDS} } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export const REQUEST_SHARE = `
mutation RequestDatasetShare($input: DatasetShareInput!) {
  requestDatasetShare(input: $input) { ${SHARE_FIELDS} }
}`;

export const PREVIEW_SHARE = `
mutation PreviewDatasetShare($id: ID!) {
  previewDatasetShare(id: $id) { deployment { id status } }
}`;

export const SHARE_PREVIEW = `
query SharePreview($id: ID!) {
  deployment(id: $id) { id status preview error { code message } }
}`;

export const APPROVE_SHARE = `
mutation ApproveDatasetShare($id: ID!, $note: String) {
  approveDatasetShare(id: $id, note: $note) { ${SHARE_FIELDS} }
}`;

export const REJECT_SHARE = `
mutation RejectDatasetShare($id: ID!, $note: String) {
  rejectDatasetShare(id: $id, note: $note) { ${SHARE_FIELDS} }
}`;

export const REVOKE_SHARE = `
mutation RevokeDatasetShare($id: ID!, $note: String) {
  revokeDatasetShare(id: $id, note: $note) { ${SHARE_FIELDS} }
}`;

export const TEMPLATE_BUNDLES = `
query TemplateBundles {
  templateBundles { digest package size versions uploadedBy uploadedAt }
}`;
