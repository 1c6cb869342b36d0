// The identity of a ZITADEL sink's target, recorded in the checkpoint (see SinkTarget): the
// instance URL, normalised so that `HTTPS://Acme.zitadel.cloud:443/` and `https://acme.zitadel.cloud`
// are the same target, and the organization. Config-derived only, never a credential.
import type { SinkTarget } from '@idflow/engine';

export function zitadelSinkTarget(kind: string, baseUrl: URL, orgId: string): SinkTarget {
  return { kind, fields: { url: `${baseUrl.origin}${baseUrl.pathname.replace(/\/+$/, '')}`, orgId } };
}
