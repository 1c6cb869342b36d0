// Turning one display name into ZITADEL's required first and last name. Auth0 often has only
// `name`; the reference converter copied it whole into both fields ("Jane Smith" / "Jane Smith").

/** First word and the rest: "Jean-Luc Picard de la Barre" → "Jean-Luc" / "Picard de la Barre"; one word fills both. */
export function splitDisplayName(name: string): { first: string; last: string } | undefined {
  const words = name.trim().split(/\s+/u).filter((word) => word.length > 0);
  if (words.length === 0) return undefined;
  if (words.length === 1) return { first: words[0], last: words[0] };
  return { first: words[0], last: words.slice(1).join(' ') };
}

/** True for text that is an email address rather than a person's name (Auth0 sets `name` to the email by default). */
export function looksLikeEmail(text: string): boolean {
  return /^[^\s@]+@[^\s@]+$/u.test(text.trim());
}
