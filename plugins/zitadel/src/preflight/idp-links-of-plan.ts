// The IdPs a run will link users to, read from the pipeline's field-mapper stages (`idpLinks:
// {<Auth0 connection>: <ZITADEL IdP id>}`), so the preflight can check them before any user is sent.
import type { PreflightPlan } from '@idflow/engine';

/** IdP id → the Auth0 connections mapped to it. */
export function idpLinksOfPlan(plan: PreflightPlan): Map<string, string[]> {
  const links = new Map<string, string[]>();
  for (const stage of plan.transforms) {
    if (stage.use !== 'field-mapper') continue;
    const idpLinks = stage.with?.idpLinks;
    if (typeof idpLinks !== 'object' || idpLinks === null) continue;
    for (const [connection, idpId] of Object.entries(idpLinks)) {
      if (typeof idpId !== 'string' || idpId === '') continue;
      links.set(idpId, [...(links.get(idpId) ?? []), connection]);
    }
  }
  return links;
}
