/**
 * The operation asks for something the compiler does not serve; Pothos's resolvers do.
 * `always`: the document alone decides it (a field or shape it never serves), so the
 * answer can be remembered; otherwise it depends on this request's variable values (a
 * cursor, an argument the resolvers will refuse, a directive whose condition is null).
 */
export class NotCompilable extends Error {
  constructor(
    message: string,
    readonly always: boolean,
  ) {
    super(message);
  }
}

export const never = (what: string): never => {
  throw new NotCompilable(what, true);
};

export const notThisTime = (what: string): never => {
  throw new NotCompilable(what, false);
};
