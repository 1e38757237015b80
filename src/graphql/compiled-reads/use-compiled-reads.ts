import {
  GraphQLError,
  getOperationAST,
  getVariableValues,
  Kind,
  BREAK,
  visit,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { SpanStatusCode, Tracer } from '@opentelemetry/api';
import { unavailabilityOf } from '../../db/availability.js';
import { executeRendered } from '../../db/rendered-query.js';
import type { Context } from '../context.js';
import { RawJsonResult } from './raw-json-result.js';
import { NotCompilable, readStatement } from './read-statement.js';
import type { StatementInputs, StatementTemplate } from './sql-writer.js';
import { shapeKey, variableRoles, type VariableRoles } from './statement-shape.js';
import { asksOnlyForViewer, viewerAnswer, type ViewerAnswer } from './viewer-answer.js';

interface Operation {
  /** Names the operation among the statement templates. */
  serial: number;
  definition: OperationDefinitionNode;
  fragments: Record<string, FragmentDefinitionNode>;
  /** Which variables shape the statement's text, and which only fill its parameters (statement-shape.ts). */
  roles: VariableRoles;
  /** Only `me` (and `__typename`) at the root: answered from the viewer's account (viewer-answer.ts). */
  viewerOnly: boolean;
  /** Set once the document alone rules compilation out; later requests skip straight to the resolvers. */
  neverCompiles: boolean;
}

let operationsSeen = 0;

/**
 * @defer and @stream anywhere in the document (a fragment included): the response is a
 * stream of payloads, which only the resolvers' executor (plugin-defer-stream) delivers;
 * one compiled statement would answer everything at once, as a single result.
 */
function deliversIncrementally(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Directive(node) {
      if (node.name.value === 'defer' || node.name.value === 'stream') {
        found = true;
        return BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/** Per parsed document (Yoga caches them, so repeats are the same object) and operation name. */
const operations = new WeakMap<DocumentNode, Map<string, Operation | null>>();

function operationOf(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
): Operation | null {
  let byName = operations.get(document);
  if (!byName) {
    byName = new Map();
    operations.set(document, byName);
  }
  const key = operationName ?? '';
  let operation = byName.get(key);
  if (operation === undefined) {
    const definition = getOperationAST(document, operationName);
    // An unknown name is not remembered: a client could send endless different ones.
    if (!definition) return null;
    const fragments: Record<string, FragmentDefinitionNode> = {};
    for (const node of document.definitions) {
      if (node.kind === Kind.FRAGMENT_DEFINITION) fragments[node.name.value] = node;
    }
    operation =
      definition.operation === 'query' && !deliversIncrementally(document)
        ? {
            serial: ++operationsSeen,
            definition,
            fragments,
            roles: variableRoles(schema, document),
            viewerOnly: asksOnlyForViewer(definition),
            neverCompiles: false,
          }
        : null;
    byName.set(key, operation);
  }
  return operation;
}

/**
 * Statements already written, by operation and shape: each serves every later request of
 * its shape with that request's parameter values, so the statement is written once rather
 * than per request (10–15 % of the Node CPU of the benchmark's reads). Bounded like the
 * prepared statements' names; emptied when full, the shapes in use come back at once.
 */
const templates = new Map<string, StatementTemplate>();
const maxTemplates = 1000;

function templateFor(operation: Operation, args: ExecutionArgs, inputs: StatementInputs): StatementTemplate {
  const key = `${operation.serial}:${shapeKey(operation.roles, inputs)}`;
  let template = templates.get(key);
  if (!template) {
    template = readStatement(
      { schema: args.schema, fragments: operation.fragments, ...inputs },
      operation.definition,
    );
    if (templates.size >= maxTemplates) templates.clear();
    templates.set(key, template);
  }
  return template;
}

/** Answers to `me`-only operations, by operation and shape, like the statement templates; null: not servable. */
const viewerAnswers = new Map<string, ViewerAnswer | null>();

function viewerAnswerFor(operation: Operation, args: ExecutionArgs, inputs: StatementInputs) {
  const key = `${operation.serial}:${shapeKey(operation.roles, inputs)}`;
  let answer = viewerAnswers.get(key);
  if (answer === undefined) {
    const scope = { schema: args.schema, fragments: operation.fragments, variables: inputs.variables };
    answer = viewerAnswer(scope, operation.definition) ?? null;
    if (viewerAnswers.size >= maxTemplates) viewerAnswers.clear();
    viewerAnswers.set(key, answer);
  }
  return answer;
}

/** The compiled answer, or undefined when the resolvers must answer (what, or why, in the log). */
async function compiledResult(
  operation: Operation,
  args: ExecutionArgs,
): Promise<ExecutionResult | undefined> {
  const variables = getVariableValues(
    args.schema,
    operation.definition.variableDefinitions ?? [],
    args.variableValues ?? {},
  );
  // Invalid variables: execution reports them.
  if (variables.errors) return undefined;
  const ctx = args.contextValue as Context;
  const inputs: StatementInputs = { variables: variables.coerced, viewerId: ctx.viewer?.userId ?? null };
  // A guest's `me` is null; a viewer's comes from the account their credential check read.
  if (operation.viewerOnly && (!ctx.viewer || ctx.viewer.account)) {
    const answer = viewerAnswerFor(operation, args, inputs);
    if (answer) return new RawJsonResult(answer(ctx.viewer?.account ?? null));
  }
  let statement;
  try {
    statement = templateFor(operation, args, inputs).bind(inputs);
  } catch (error) {
    if (!(error instanceof NotCompilable)) throw error;
    if (error.always) operation.neverCompiles = true;
    return undefined;
  }
  try {
    // Every driver here answers with node-postgres's result shape.
    const { rows } = (await executeRendered(ctx.db, statement)) as { rows: { data: string }[] };
    return new RawJsonResult(rows[0]!.data);
  } catch (err) {
    // An unavailable database would keep the resolvers waiting as long again: the error
    // masking answers SERVICE_UNAVAILABLE now.
    if (unavailabilityOf(err)) {
      return {
        data: null,
        errors: [new GraphQLError('database unavailable', { originalError: err as Error })],
      };
    }
    // The resolvers answer instead; a statement this module got wrong shows up here
    // rather than as a wrong answer.
    ctx.logger.error({ err, requestId: ctx.requestId }, 'compiled read failed; the resolvers answer it');
    return undefined;
  }
}

/**
 * The compiled answer to an execution, or undefined when the resolvers must give it (an
 * operation, field or argument value this module does not serve).
 */
export async function executeCompiled(args: ExecutionArgs): Promise<ExecutionResult | undefined> {
  const operation = operationOf(args.schema, args.document, args.operationName);
  return operation && !operation.neverCompiles ? compiledResult(operation, args) : undefined;
}

/** SpanStatusCode.ERROR; only the types are imported, so @opentelemetry/api loads with tracing alone. */
const spanError = 2 as SpanStatusCode.ERROR;

/** Attribute of a `graphql.compiled-read` span: false when the resolvers had to answer after all. */
const compiledReadServedAttribute = 'acquisitions.compiled_read.served';

/**
 * compiledResult inside a `graphql.compiled-read` span, so a trace shows the request took
 * the compiled path and its statement's span nests under it.
 */
function tracedCompiledResult(tracer: Tracer): typeof compiledResult {
  return (operation, args) =>
    tracer.startActiveSpan('graphql.compiled-read', async (span) => {
      try {
        const result = await compiledResult(operation, args);
        span.setAttribute(compiledReadServedAttribute, result !== undefined);
        if (result?.errors) span.setStatus({ code: spanError });
        return result;
      } catch (error) {
        span.setStatus({ code: spanError });
        throw error;
      } finally {
        span.end();
      }
    });
}

/**
 * Serves public read queries with one statement that builds the whole response in Postgres
 * (read-statement.ts) instead of running Pothos's resolvers field by field: the same data,
 * a fraction of the Node CPU. Whatever it does not cover runs through the resolvers as
 * before. Runs at execution, after every guard has had its say. With a `tracer`, each
 * attempt is a `graphql.compiled-read` span.
 */
export function useCompiledReads(tracer?: Tracer): Plugin<Context> {
  const answer = tracer ? tracedCompiledResult(tracer) : compiledResult;
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const operation = operationOf(args.schema, args.document, args.operationName);
      if (!operation || operation.neverCompiles) return;
      setExecuteFn(
        async (executionArgs) =>
          (await answer(operation, executionArgs)) ?? ((await executeFn(executionArgs)) as ExecutionResult),
      );
    },
  };
}
