// `POST /admin/v1/import` (Admin API ImportData, `dataOrgs` shape).
import { requireIamOwner } from '../auth/permissions.js';
import { parseGoDuration } from '../go-duration.js';
import { ApiError, GrpcCode, isDeadlineExceeded } from '../http/api-error.js';
import type { JsonObject } from '../http/protojson.js';
import type { RouteDefinition } from '../http/route.js';
import { importRequestProtoSize } from '../import/import-message-size.js';
import { parseImportRequest } from '../import/parse-import-request.js';
import { runImport } from '../import/run-import.js';
import type { EmulatorServices } from '../services.js';

/**
 * grpc-go's receive limit on the encoded message (see import-message-size.ts): ResourceExhausted
 * with grpc-go's text, 429 through the gateway, before authorization and validation run. The JSON
 * is never smaller than its protobuf encoding, so a body within the limit needs no counting.
 */
function rejectOversizedMessage(message: JsonObject, jsonBytes: number, limit: number): void {
  if (jsonBytes <= limit) return;
  const size = importRequestProtoSize(message);
  if (size > limit) throw new ApiError(GrpcCode.ResourceExhausted, `grpc: received message larger than max (${size} vs. ${limit})`);
}

export function importRoute(services: EmulatorServices): RouteDefinition {
  return {
    method: 'POST',
    path: '/admin/v1/import',
    auth: 'bearer',
    async handle({ principal, json, body, fault }) {
      const message = json();
      rejectOversizedMessage(message, body.bytes.length, services.options.grpcMaxReceiveBytes);
      requireIamOwner(principal, 'iam.write');
      const { counters } = services;
      counters.imports.calls++;
      const request = parseImportRequest(message);
      // ImportData (internal/api/grpc/admin/import.go) parses the timeout after the proto rules
      // passed and returns Go's error as is: not a ZITADEL error, so code 2 (Unknown), HTTP 500.
      let timeoutMs: number;
      try {
        timeoutMs = parseGoDuration(request.timeout);
      } catch (error) {
        throw new ApiError(GrpcCode.Unknown, (error as Error).message, undefined, undefined, {}, 500);
      }
      const userCount = request.orgs.reduce((sum, org) => sum + org.users.length, 0);
      try {
        const response = await runImport(request, {
          store: services.store,
          idps: services.idps,
          hashPolicy: services.hashPolicy,
          editorUserId: principal.id,
          perUserWriteCostMs: services.options.perUserWriteCostMs,
          deadline: Date.now() + timeoutMs,
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
