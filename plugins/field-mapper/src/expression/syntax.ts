// The mapping expression language, as data. Expressions are parsed once, when the pipeline is
// loaded, and evaluated per record without `eval`: a path reads the input record, a template
// interpolates, a call runs one of the named functions.

export type Literal = string | number | boolean | null;

export type Expression =
  | { kind: 'literal'; value: Literal }
  /** `profile.user_metadata["favorite-color"]`, `profile.identities[0].user_id` */
  | { kind: 'path'; segments: (string | number)[]; text: string }
  /** `"{profile.given_name} {profile.family_name}"`: text and `{expression}` parts. */
  | { kind: 'template'; parts: (string | Expression)[] }
  | { kind: 'call'; name: string; args: Expression[] };

/** A syntax or function-use error at a column (1-based) of the expression's text. */
export class ExpressionError extends Error {
  constructor(
    message: string,
    readonly column?: number,
  ) {
    super(column === undefined ? message : `${message} at column ${column}`);
    this.name = 'ExpressionError';
  }
}
