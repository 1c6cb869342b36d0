// ZITADEL's preferredLanguage is a BCP 47 tag of at most 10 characters. Auth0's `locale` holds
// `en`, `en-US`, but also POSIX-style `pt_BR` or `de_DE.UTF-8`, and sometimes junk.

const MAX_LENGTH = 10;
const MAX_REMEMBERED = 1000;
const known = new Map<string, Readonly<PreferredLanguage> | undefined>();

export type LanguageForm = 'tag' | 'base';

/** What became of a locale: the tag to use, and whether it was shortened to fit. */
export interface PreferredLanguage {
  tag: string;
  shortened: boolean;
}

/**
 * The canonical BCP 47 tag for `locale` (`pt_BR` → `pt-BR`, `EN-us` → `en-US`), or only its
 * language (`form: 'base'`: `en-US` → `en`); undefined when it is not a language tag. A tag over
 * 10 characters keeps as much of language-script-region as fits.
 */
export function toPreferredLanguage(locale: unknown, form: LanguageForm = 'tag'): Readonly<PreferredLanguage> | undefined {
  if (typeof locale !== 'string') return undefined;
  // Intl parsing costs ~15 µs; an export has a few dozen distinct locales, so remember them.
  const key = `${form} ${locale}`;
  if (known.has(key)) return known.get(key);
  if (known.size >= MAX_REMEMBERED) known.clear();
  const result = parseLocale(locale, form);
  known.set(key, result);
  return result;
}

function parseLocale(locale: string, form: LanguageForm): PreferredLanguage | undefined {
  // POSIX locales: drop `.charset` and `@modifier`, `_` separates the region.
  const candidate = locale.trim().replace(/[.@].*$/u, '').replace(/_/g, '-');
  if (!candidate) return undefined;
  let parsed: Intl.Locale;
  try {
    parsed = new Intl.Locale(Intl.getCanonicalLocales(candidate)[0]);
  } catch {
    return undefined;
  }
  // `und` (undetermined) parses, but names no language.
  if (!parsed.language || parsed.language === 'und') return undefined;
  if (form === 'base') return { tag: parsed.language, shortened: parsed.toString() !== parsed.language };
  const full = parsed.toString();
  if (full.length <= MAX_LENGTH) return { tag: full, shortened: false };
  const { language, script, region } = parsed;
  const candidates = [
    [language, script, region],
    [language, region],
    [language, script],
  ].map((parts) => parts.filter(Boolean).join('-'));
  const fitting = candidates.find((tag) => tag.length <= MAX_LENGTH) ?? language;
  return fitting.length <= MAX_LENGTH ? { tag: fitting, shortened: true } : undefined;
}
