// `POST /admin/v1/events/_search` (Admin API ListEvents): the instance's events with payloads.
import { requireIamOwner } from '../auth/permissions.js';
import { readBool, readInteger, readString, readStringList } from '../http/protojson.js';
import type { RouteDefinition } from '../http/route.js';
import type { EmulatorServices } from '../services.js';

const DEFAULT_LIMIT = 1000;

export function searchEventsRoute(services: EmulatorServices): RouteDefinition {
  return {
    method: 'POST',
    path: '/admin/v1/events/_search',
    auth: 'bearer',
    async handle({ principal, json }) {
      requireIamOwner(principal, 'events.read');
      const body = json();
      const events = services.store.events.search({
        eventTypes: readStringList(body, 'eventTypes', ''),
        aggregateTypes: readStringList(body, 'aggregateTypes', ''),
        aggregateId: readString(body, 'aggregateId', '') || undefined,
        resourceOwner: readString(body, 'resourceOwner', '') || undefined,
        editorUserId: readString(body, 'editorUserId', '') || undefined,
        sequence: readInteger(body, 'sequence', ''),
        asc: readBool(body, 'asc', '') ?? false,
        limit: readInteger(body, 'limit', '') || DEFAULT_LIMIT,
      });
      if (events.length === 0) return { status: 200, body: {} };
      return {
        status: 200,
        body: {
          events: events.map((event) => ({
            editor: { userId: event.editorUserId, service: 'zitadel-emulator' },
            aggregate: { id: event.aggregateId, type: { type: event.aggregateType }, resourceOwner: event.resourceOwner },
            sequence: String(event.sequence),
            creationDate: event.createdAt,
            payload: event.payload,
            type: { type: event.type },
          })),
        },
      };
    },
  };
}
