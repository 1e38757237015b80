import { GraphQLError, Lexer, Source, TokenKind } from 'graphql';

const opening: ReadonlySet<TokenKind> = new Set([TokenKind.BRACE_L, TokenKind.BRACKET_L, TokenKind.PAREN_L]);
const closing: ReadonlySet<TokenKind> = new Set([TokenKind.BRACE_R, TokenKind.BRACKET_R, TokenKind.PAREN_R]);

export interface DocumentSizeLimits {
  maxTokens: number;
  /** How deep braces, brackets and parentheses may nest. */
  maxNesting: number;
}

/**
 * Counts a document's tokens and how deep its brackets nest, with the lexer alone, and
 * refuses it past either limit. graphql's parser recurses once per nested bracket, so
 * `[[[…]]]` a few thousand deep overflows the stack while still under the token limit;
 * the lexer does not recurse, so this runs first and the parser only ever sees shallow
 * documents. Syntax errors are left for the parser to report.
 */
export function assertDocumentSize(
  source: string | Source,
  { maxTokens, maxNesting }: DocumentSizeLimits,
): void {
  const lexer = new Lexer(typeof source === 'string' ? new Source(source) : source);
  let tokens = 0;
  let depth = 0;
  try {
    for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
      if (++tokens > maxTokens) throw limitError(`Token limit of ${maxTokens} exceeded.`);
      if (opening.has(token.kind) && ++depth > maxNesting) {
        throw limitError(`Nesting limit of ${maxNesting} exceeded: brackets and braces nest deeper.`);
      }
      if (closing.has(token.kind)) depth--;
    }
  } catch (error) {
    if (error instanceof LimitError) throw error.graphqlError;
  }
}

/** Marks our refusals apart from the lexer's own syntax errors, which the parser reports. */
class LimitError extends Error {
  constructor(readonly graphqlError: GraphQLError) {
    super(graphqlError.message);
  }
}

const limitError = (message: string) =>
  new LimitError(new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } }));
