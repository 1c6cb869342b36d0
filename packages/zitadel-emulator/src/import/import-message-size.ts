// The size of an ImportDataRequest in protobuf's binary encoding, which is what the gRPC server
// behind the REST gateway limits: ZITADEL's grpc.NewServer sets no MaxRecvMsgSize
// (internal/api/grpc/server/server.go CreateServer sets only MaxSendMsgSize = 10 MiB), so grpc-go's
// default of 4 MiB applies and a larger message is refused with ResourceExhausted, which the
// gateway answers with HTTP 429. The field numbers are those of proto/zitadel/admin.proto
// (ImportDataRequest, ImportDataOrg, DataOrg), v1.proto (DataHumanUser) and management.proto
// (ImportHumanUserRequest, AddOrgRequest, SetUserMetadataRequest); fields the gateway does not
// know are dropped before encoding (DiscardUnknown), so they do not count.
import { isJsonObject, type JsonObject } from '../http/protojson.js';

/** grpc-go's defaultServerMaxReceiveMessageSize. */
export const GRPC_DEFAULT_MAX_RECEIVE_BYTES = 4 * 1024 * 1024;

type FieldKind = 'string' | 'bool' | 'enum' | 'bytes' | Schema;
interface Schema {
  [jsonName: string]: [fieldNumber: number, kind: FieldKind, repeated?: 'repeated'];
}

const PROFILE: Schema = {
  firstName: [1, 'string'],
  lastName: [2, 'string'],
  nickName: [3, 'string'],
  displayName: [4, 'string'],
  preferredLanguage: [5, 'string'],
  gender: [6, 'enum'],
};
const IMPORT_HUMAN_USER: Schema = {
  userName: [1, 'string'],
  profile: [2, PROFILE],
  email: [3, { email: [1, 'string'], isEmailVerified: [2, 'bool'] }],
  phone: [4, { phone: [1, 'string'], isPhoneVerified: [2, 'bool'] }],
  password: [5, 'string'],
  hashedPassword: [6, { value: [1, 'string'] }],
  passwordChangeRequired: [7, 'bool'],
  requestPasswordlessRegistration: [8, 'bool'],
  otpCode: [9, 'string'],
  idps: [10, { configId: [1, 'string'], externalUserId: [2, 'string'], displayName: [3, 'string'] }, 'repeated'],
  recoveryCodes: [11, { raw: [1, 'string'], hash: [2, 'string'] }, 'repeated'],
};
const DATA_ORG: Schema = {
  orgId: [1, 'string'],
  org: [3, { name: [1, 'string'] }],
  humanUsers: [14, { userId: [1, 'string'], user: [2, IMPORT_HUMAN_USER], state: [3, 'enum'] }, 'repeated'],
  userMetadata: [23, { id: [1, 'string'], key: [2, 'string'], value: [3, 'bytes'] }, 'repeated'],
};
const IMPORT_DATA_REQUEST: Schema = {
  dataOrgs: [1, { orgs: [1, DATA_ORG, 'repeated'] }],
  timeout: [9, 'string'],
};

function varintSize(value: number): number {
  let size = 1;
  for (let rest = value; rest >= 0x80; rest = Math.floor(rest / 128)) size++;
  return size;
}

const tagSize = (fieldNumber: number) => varintSize(fieldNumber << 3);
const lengthDelimited = (fieldNumber: number, length: number) => tagSize(fieldNumber) + varintSize(length) + length;

/** The encoded size of one value; 0 for proto3 defaults, which are not encoded. */
function valueSize(fieldNumber: number, kind: FieldKind, value: unknown, repeated: boolean): number {
  if (value === null || value === undefined) return 0;
  if (kind === 'string') {
    const length = Buffer.byteLength(String(value), 'utf8');
    return length === 0 && !repeated ? 0 : lengthDelimited(fieldNumber, length);
  }
  if (kind === 'bytes') {
    const length = Buffer.from(String(value), 'base64').length;
    return length === 0 && !repeated ? 0 : lengthDelimited(fieldNumber, length);
  }
  if (kind === 'bool') return value === true ? tagSize(fieldNumber) + 1 : 0;
  if (kind === 'enum') {
    // Enum names or numbers; a name the gateway reads is never 0 unless it is the zero value.
    const number = typeof value === 'number' ? value : /_UNSPECIFIED$/.test(String(value)) ? 0 : 1;
    return number === 0 ? 0 : tagSize(fieldNumber) + varintSize(number);
  }
  return isJsonObject(value) ? lengthDelimited(fieldNumber, messageSize(value, kind)) : 0;
}

function messageSize(message: JsonObject, schema: Schema): number {
  let size = 0;
  for (const [name, value] of Object.entries(message)) {
    const field = schema[name];
    if (!field) continue;
    const [fieldNumber, kind, repeated] = field;
    if (repeated && Array.isArray(value)) for (const item of value) size += valueSize(fieldNumber, kind, item, true);
    else size += valueSize(fieldNumber, kind, value, false);
  }
  return size;
}

/** The protobuf size of a (camelCased) ImportDataRequest. */
export function importRequestProtoSize(body: JsonObject): number {
  return messageSize(body, IMPORT_DATA_REQUEST);
}
