// `GET /v2/settings/login` (SettingsService.GetLoginSettings, proto/zitadel/settings/v2/settings_service.proto):
// the login policy a login UI reads before it looks a user up. Only the switches that decide how a
// user is found are answered (login_settings.proto `disable_login_with_email` 17, `…_phone` 18); the
// converter is internal/api/grpc/settings/v2/settings_converter.go loginSettingsToPb.
import { requireIamOwner } from '../auth/permissions.js';
import type { RouteDefinition } from '../http/route.js';
import type { EmulatorServices } from '../services.js';

export function loginSettingsRoute(services: EmulatorServices): RouteDefinition {
  return {
    method: 'GET',
    path: '/v2/settings/login',
    auth: 'bearer',
    async handle({ principal }) {
      requireIamOwner(principal, 'policy.read');
      const { disableLoginWithEmail, disableLoginWithPhone } = services.options.loginPolicy;
      return {
        status: 200,
        body: {
          details: { resourceOwner: services.defaultOrgId },
          // The emulator has no username/password switch: the default policy allows it (AllowUsernamePassword: true).
          settings: { allowUsernamePassword: true, disableLoginWithEmail, disableLoginWithPhone },
        },
      };
    },
  };
}
