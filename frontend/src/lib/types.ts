/** Shapes the API returns that components render (a subset of the GraphQL schema). */

export type Action = "Add" | "Modify" | "Remove" | string;

export interface PropertyChange {
  path: string;
  old?: unknown;
  new?: unknown;
  replacement: boolean;
}

export interface ResourceDiff {
  logicalId: string;
  resourceType: string;
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

export interface StackEvent {
  id: string;
  timestamp: string;
  logicalId: string;
  resourceType: string;
  status: string;
  reason?: string | null;
}
