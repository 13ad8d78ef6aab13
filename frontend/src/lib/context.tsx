/** The signed-in session and API client, shared by every page. */

import { createContext, useContext } from "react";

import type { Session } from "./auth";
import type { GraphQLClient } from "./graphql";

export interface ConsoleContext {
  session: Session;
  api: GraphQLClient;
  signOut: () => void;
}

export const Console = createContext<ConsoleContext | null>(null);

export function useConsole(): ConsoleContext {
  const value = useContext(Console);
  if (!value) throw new Error("useConsole outside a signed-in console");
  return value;
}

export const ADMIN_GROUP = "admins";

export function isAdmin(session: Session): boolean {
  return session.groups.includes(ADMIN_GROUP);
}
