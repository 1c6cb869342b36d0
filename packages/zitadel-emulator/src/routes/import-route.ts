// `POST /admin/v1/import` (Admin API ImportData, `dataOrgs` shape).
import { requireIamOwner } from '../auth/permissions.js';
import { isDeadlineExceeded } from '../http/api-error.js';
import type { RouteDefinition } from '../http/route.js';
import { parseImportRequest } from '../import/parse-import-request.js';
import { runImport } from '../import/run-import.js';
import type { EmulatorServices } from '../services.js';

export function importRoute(services: EmulatorServices): RouteDefinition {
  return {
    method: 'POST',
    path: '/admin/v1/import',
    auth: 'bearer',
    async handle({ principal, json, fault }) {
      requireIamOwner(principal, 'iam.write');
      const { counters } = services;
      counters.imports.calls++;
      const request = parseImportRequest(json());
      const userCount = request.orgs.reduce((sum, org) => sum + org.users.length, 0);
      try {
        const response = await runImport(request, {
          store: services.store,
          hashPolicy: services.hashPolicy,
          editorUserId: principal.id,
          perUserWriteCostMs: services.options.perUserWriteCostMs,
          deadline: Date.now() + request.timeoutMs,
          stopAfterUsers: fault === 'timeoutHalfWritten' ? Math.floor(userCount / 2) : undefined,
          onUserWritten: () => counters.imports.usersWritten++,
        });
        counters.imports.userErrors += response.errors?.filter((error) => error.type === 'human_user').length ?? 0;
        return { status: 200, body: response };
      } catch (error) {
        if (isDeadlineExceeded(error)) counters.imports.timedOut++;
        throw error;
      }
    },
  };
}
