/** The console's frame: navigation and the pages. */

import { lazy, Suspense } from "react";
import { NavLink, Navigate, Route, Routes } from "react-router-dom";

import { Loading } from "./components/Status";
import { isAdmin, useConsole } from "./lib/context";
import { Catalog } from "./pages/Catalog";
import { DatasetPage } from "./pages/DatasetPage";
import { Search } from "./pages/Search";
import { Shares } from "./pages/Shares";
import { Stacks } from "./pages/Stacks";

// The pages with a JSON Schema form (react-jsonschema-form and ajv, most of the bundle) and the
// admin pages load when first opened.
const TemplatePage = lazy(() => import("./pages/TemplatePage").then((m) => ({ default: m.TemplatePage })));
const StackPage = lazy(() => import("./pages/StackPage").then((m) => ({ default: m.StackPage })));
const Admin = lazy(() => import("./pages/Admin").then((m) => ({ default: m.Admin })));

export function App() {
  const { session, signOut } = useConsole();
  return (
    <>
      <header>
        <a href="#main" className="skip">
          Skip to content
        </a>
        <strong>DATAHUB</strong>
        <nav aria-label="Main">
          <NavLink to="/catalog">Catalog</NavLink>
          <NavLink to="/stacks">Stacks</NavLink>
          <NavLink to="/search">Search</NavLink>
          <NavLink to="/shares">Shares</NavLink>
          {isAdmin(session) && <NavLink to="/admin">Admin</NavLink>}
        </nav>
        <span className="muted">
          {session.username} ({session.groups.join(", ") || "no team"})
        </span>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main id="main">
        <Suspense fallback={<Loading what="the page" />}>
          <Routes>
            <Route path="/" element={<Navigate to="/catalog" replace />} />
            <Route path="/catalog" element={<Catalog />} />
            <Route path="/catalog/:name" element={<TemplatePage />} />
            <Route path="/stacks" element={<Stacks />} />
            <Route path="/stacks/:id" element={<StackPage />} />
            <Route path="/search" element={<Search />} />
            <Route path="/datasets/:id" element={<DatasetPage />} />
            <Route path="/shares" element={<Shares />} />
            <Route path="/admin" element={<Admin />} />
            <Route path="*" element={<p>This page does not exist.</p>} />
          </Routes>
        </Suspense>
      </main>
    </>
  );
}
