import {
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { hasAuthRules } from './query-generator.js';
import type { Service } from './two-paths.js';

/** The root fields an operation selects, through fragments, in order of first appearance. */
export function rootFieldsOf(document: DocumentNode): string[] {
  const fragments = new Map(
    document.definitions.flatMap((node) =>
      node.kind === Kind.FRAGMENT_DEFINITION ? [[node.name.value, node]] : [],
    ),
  );
  const names = new Set<string>();
  const seen = new Set<string>();
  const collect = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) names.add(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) collect(selection.selectionSet);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) collect(fragment.selectionSet);
      }
    }
  };
  const operation = document.definitions.find((node) => node.kind === Kind.OPERATION_DEFINITION);
  if (operation) collect(operation.selectionSet);
  return [...names];
}

/**
 * Whether the document selects a field with its own auth rules (Pothos's `authScopes` on the
 * field): such a field is never compiled, by design, so such a query is not one the
 * compiled path should serve.
 */
export function selectsGuardedField(schema: GraphQLSchema, document: DocumentNode): boolean {
  const typeInfo = new TypeInfo(schema);
  let guarded = false;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field() {
        const field = typeInfo.getFieldDef();
        if (field && hasAuthRules(field)) guarded = true;
      },
    }),
  );
  return guarded;
}

/** The fields (`Type.field`) and arguments (`Type.field(arg)`) a document selects and passes. */
export function featuresOf(schema: GraphQLSchema, document: DocumentNode): Set<string> {
  const typeInfo = new TypeInfo(schema);
  const features = new Set<string>();
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        features.add(`${typeInfo.getParentType()?.name}.${node.name.value}`);
      },
      Argument(node) {
        const field = typeInfo.getFieldDef();
        if (field && !typeInfo.getDirective()) {
          features.add(`${typeInfo.getParentType()?.name}.${field.name}(${node.name.value})`);
        }
      },
    }),
  );
  return features;
}

const servedKinds: readonly Service[] = ['one statement', 'from the account'];

interface Row {
  queries: number;
  byService: Map<Service, number>;
}

const newRow = (): Row => ({ queries: 0, byService: new Map() });

/**
 * How the compiled handler came by its answers, overall and by root field, and among the
 * queries it should serve: public reads by a guest that the resolvers answer without error
 * from the database (`inPrinciple`).
 */
export class CoverageTally {
  readonly all = newRow();
  readonly inPrinciple = newRow();
  readonly byRootField = new Map<string, Row>();
  withErrors = 0;
  disagreements = 0;
  /** Among the queries it should serve: how often each feature came in a served one, and in one not served. */
  readonly features = new Map<string, { served: number; declined: number }>();

  record(entry: {
    rootFields: string[];
    service: Service;
    inPrinciple: boolean;
    withErrors: boolean;
    features: Set<string>;
  }): void {
    const add = (row: Row) => {
      row.queries++;
      row.byService.set(entry.service, (row.byService.get(entry.service) ?? 0) + 1);
    };
    add(this.all);
    if (entry.inPrinciple) {
      add(this.inPrinciple);
      const wasServed = servedKinds.includes(entry.service);
      for (const feature of entry.features) {
        let counts = this.features.get(feature);
        if (!counts) this.features.set(feature, (counts = { served: 0, declined: 0 }));
        if (wasServed) counts.served++;
        else counts.declined++;
      }
    }
    for (const field of entry.rootFields) {
      let row = this.byRootField.get(field);
      if (!row) this.byRootField.set(field, (row = newRow()));
      add(row);
    }
    if (entry.withErrors) this.withErrors++;
  }

  /** The share of the queries it should serve that the compiled handler served. */
  servedShare(): number {
    return this.inPrinciple.queries === 0 ? 0 : served(this.inPrinciple) / this.inPrinciple.queries;
  }

  summary(title: string): string {
    const line = (name: string, row: Row) =>
      `  ${name.padEnd(24)} ${String(row.queries).padStart(5)}  ${[...row.byService]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([service, count]) => `${service}: ${count}`)
        .join(', ')}`;
    return [
      `${title}: ${this.all.queries} queries, ${this.withErrors} answered with errors, ${this.disagreements} disagreements`,
      `  compiled served ${served(this.inPrinciple)} of ${this.inPrinciple.queries} guest public reads (${(this.servedShare() * 100).toFixed(1)} %)`,
      line('all', this.all),
      line('guest public reads', this.inPrinciple),
      ...[...this.byRootField]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([field, row]) => line(`Query.${field}`, row)),
      `  never served, in guest public reads: ${
        [...this.features]
          .filter(([, counts]) => counts.served === 0)
          .sort(([, a], [, b]) => b.declined - a.declined)
          .slice(0, 15)
          .map(([feature, counts]) => `${feature} ×${counts.declined}`)
          .join(', ') || 'none'
      }`,
    ].join('\n');
  }
}

function served(row: Row): number {
  return servedKinds.reduce((sum, service) => sum + (row.byService.get(service) ?? 0), 0);
}
