// The identity providers an instance knows, configured at start (options.idps / `--idp`). ZITADEL
// checks IdP links against them: the import needs an IdP that allows creating users
// (addUserIDPLink in internal/command/user_idp_link.go), the v2 calls only an existing one on the
// org or the instance (addLink → ExistsIDPOnOrgOrInstance in internal/command/idp.go).
import type { EmulatorDatabase } from '../db/open-database.js';

/** `zitadel.idp.v2.Options` (proto/zitadel/idp/v2/idp.proto). */
export interface IdpOptions {
  isLinkingAllowed: boolean;
  isCreationAllowed: boolean;
  isAutoCreation: boolean;
  isAutoUpdate: boolean;
  autoLinking: 'AUTO_LINKING_OPTION_UNSPECIFIED' | 'AUTO_LINKING_OPTION_USERNAME' | 'AUTO_LINKING_OPTION_EMAIL';
}

export interface Idp {
  id: string;
  name: string;
  /** The owning org; undefined for an instance-level IdP. */
  orgId?: string;
  options: IdpOptions;
  createdAt: string;
}

/** Console's defaults for a new provider: creation and linking allowed, nothing automatic. */
export const DEFAULT_IDP_OPTIONS: IdpOptions = {
  isLinkingAllowed: true,
  isCreationAllowed: true,
  isAutoCreation: false,
  isAutoUpdate: false,
  autoLinking: 'AUTO_LINKING_OPTION_UNSPECIFIED',
};

interface IdpRow {
  id: string;
  name: string;
  org_id: string | null;
  options_json: string;
  created_at: string;
}

const toIdp = (row: IdpRow): Idp => ({
  id: row.id,
  name: row.name,
  orgId: row.org_id ?? undefined,
  options: JSON.parse(row.options_json) as IdpOptions,
  createdAt: row.created_at,
});

export class IdpStore {
  private readonly statements;

  constructor(db: EmulatorDatabase) {
    db.exec(`CREATE TABLE IF NOT EXISTS idps (
      id TEXT PRIMARY KEY, name TEXT NOT NULL, org_id TEXT, options_json TEXT NOT NULL, created_at TEXT NOT NULL)`);
    this.statements = {
      upsert: db.prepare(
        `INSERT INTO idps (id, name, org_id, options_json, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, org_id = excluded.org_id, options_json = excluded.options_json`,
      ),
      byId: db.prepare('SELECT * FROM idps WHERE id = ?'),
      all: db.prepare('SELECT * FROM idps ORDER BY rowid'),
    };
  }

  /** Creates or reconfigures an IdP. */
  save(idp: Omit<Idp, 'createdAt'>): void {
    this.statements.upsert.run(idp.id, idp.name, idp.orgId ?? null, JSON.stringify(idp.options), new Date().toISOString());
  }

  find(id: string): Idp | undefined {
    const row = this.statements.byId.get(id) as IdpRow | undefined;
    return row ? toIdp(row) : undefined;
  }

  /** The instance's IdPs and, when `orgId` is given, that org's. */
  list(orgId?: string): Idp[] {
    return (this.statements.all.all() as IdpRow[]).map(toIdp).filter((idp) => idp.orgId === undefined || idp.orgId === orgId);
  }

  /** ExistsIDPOnOrgOrInstance: an IdP of `orgId` or of the instance. */
  existsOnOrgOrInstance(id: string, orgId: string): boolean {
    const idp = this.find(id);
    return idp !== undefined && (idp.orgId === undefined || idp.orgId === orgId);
  }
}
