/**
 * Q1–Q5 as issue 8 lists them and Q6 as issue 13 adds it: the exact requests the load
 * generator sends, identical for the service and the floor (the floor dispatches on
 * operationName).
 */
import type { OperationId } from './report.js';

/** What the operations need from the seeded database and the service. */
export interface Fixtures {
  /** A session JWT for Q2; undefined when signUp is not served. */
  token?: string;
  /** The bench account signIn floods (Q5). */
  credentials: { email: string; password: string };
  /** Global id of the company with the most acquisitions (Q4). */
  companyId: string;
  /** Page 1's `endCursor` from the service (Q6); undefined when it gave none. */
  after?: string;
}

export interface HttpRequest {
  path: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
}

export interface Operation {
  id: OperationId;
  title: string;
  /** Q1's comparison is the hello server, the others' the floor. */
  against: 'floor' | 'hello';
  /** Whether the service's and the floor's `data` must be equal before measuring. */
  compareData: boolean;
  /** Q5: also probe /health/live while this operation floods the server. */
  probeHealthDuringLoad: boolean;
  /**
   * Each success creates one session row: rounds compare rows created with requests
   * completed, so a refusal answered with HTTP 200 and a GraphQL error counts as a failure.
   */
  createsSession: boolean;
  request(fixtures: Fixtures): HttpRequest;
}

/**
 * The benchmark plays a web app's users. In production BOT_GUARD refuses signIn and
 * signUp from user agents isbot recognises (node and autocannon among them), so GraphQL
 * requests carry a browser's user agent and the guard runs and passes, as for real users.
 */
export const browserUserAgent =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

function graphql(operationName: string, query: string, variables?: Record<string, unknown>, token?: string) {
  return (): HttpRequest => ({
    path: '/graphql',
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': browserUserAgent,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ operationName, query, variables }),
  });
}

/** Q3's edges, which Q6 selects too. */
const acquisitionEdges = /* GraphQL */ `
  edges {
    node {
      status
      price {
        amount
        currency
      }
      announcedOn
      closedOn
      acquirer {
        name
      }
      target {
        name
      }
    }
  }
`;

const acquisitionsQuery = /* GraphQL */ `
  query BenchAcquisitions {
    acquisitions(first: 50, orderBy: { field: ANNOUNCED_ON, direction: DESC }) {
      ${acquisitionEdges}
    }
  }
`;

/** Q3's page asked once for its `endCursor`: where Q6 starts. */
export const firstPageCursorQuery = /* GraphQL */ `
  query BenchAcquisitionsFirstPage {
    acquisitions(first: 50, orderBy: { field: ANNOUNCED_ON, direction: DESC }) {
      pageInfo {
        endCursor
      }
    }
  }
`;

const nextPageQuery = /* GraphQL */ `
  query BenchAcquisitionsAfter($after: String!) {
    acquisitions(first: 50, after: $after, orderBy: { field: ANNOUNCED_ON, direction: DESC }) {
      ${acquisitionEdges}
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

const companyQuery = /* GraphQL */ `
  query BenchCompany($id: ID!) {
    company(id: $id) {
      name
      acquisitions(first: 20) {
        edges {
          node {
            status
            price {
              amount
              currency
            }
            announcedOn
            target {
              name
            }
          }
        }
      }
    }
  }
`;

const meQuery = /* GraphQL */ `
  query BenchMe {
    me {
      id
      name
      email
      role
    }
  }
`;

const signInMutation = /* GraphQL */ `
  mutation BenchSignIn($input: SignInInput!) {
    signIn(input: $input) {
      token
      expiresAt
      user {
        id
      }
    }
  }
`;

export const signUpMutation = /* GraphQL */ `
  mutation BenchSignUp($input: SignUpInput!) {
    signUp(input: $input) {
      token
    }
  }
`;

export const operations: Operation[] = [
  {
    id: 'Q1',
    title: 'GET /health/live',
    against: 'hello',
    compareData: false,
    probeHealthDuringLoad: false,
    createsSession: false,
    request: () => ({ path: '/health/live', method: 'GET', headers: {} }),
  },
  {
    id: 'Q2',
    title: 'me (bearer token)',
    against: 'floor',
    compareData: true,
    probeHealthDuringLoad: false,
    createsSession: false,
    request: (f) => graphql('BenchMe', meQuery, undefined, f.token)(),
  },
  {
    id: 'Q3',
    title: 'acquisitions(first: 50) by announcedOn desc',
    against: 'floor',
    compareData: true,
    probeHealthDuringLoad: false,
    createsSession: false,
    request: graphql('BenchAcquisitions', acquisitionsQuery),
  },
  {
    id: 'Q4',
    title: 'company(id) with 20 acquisitions',
    against: 'floor',
    compareData: true,
    probeHealthDuringLoad: false,
    createsSession: false,
    request: (f) => graphql('BenchCompany', companyQuery, { id: f.companyId })(),
  },
  {
    id: 'Q5',
    title: 'signIn (argon2id)',
    against: 'floor',
    compareData: false,
    probeHealthDuringLoad: true,
    createsSession: true,
    request: (f) => graphql('BenchSignIn', signInMutation, { input: f.credentials })(),
  },
  {
    id: 'Q6',
    title: 'acquisitions(first: 50, after) page 2, with pageInfo',
    against: 'floor',
    compareData: true,
    probeHealthDuringLoad: false,
    createsSession: false,
    request: (f) => graphql('BenchAcquisitionsAfter', nextPageQuery, { after: f.after })(),
  },
];
