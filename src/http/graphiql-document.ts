/**
 * What GraphiQL opens with on a browser's first visit (later visits restore the browser's own
 * tabs): the README's example operations, named, so a newcomer runs a real query at once.
 * test/unit/graphiql-document.test.ts keeps it valid against the schema and identical, operation
 * for operation, to the README's examples.
 */
export const defaultDocument = `# Acquisitions API. Put the cursor in an operation and press
# Ctrl-Enter (Cmd-Enter on a Mac), or pick one from the run button.
# Reads are public. Writes need you signed in: run SignUp (or SignIn)
# once, and this browser keeps the session in an httpOnly cookie.

# The newest deals, 10 per page, with both companies. Pass pageInfo.endCursor as \`after\`
# for the next page, or page backwards with \`last\`/\`before\`.
query Deals($after: String) {
  acquisitions(first: 10, after: $after, orderBy: { field: ANNOUNCED_ON, direction: DESC }) {
    totalCount
    edges {
      node {
        id
        status
        announcedOn
        closedOn
        price {
          amount
          currency
        } # amount is a decimal string: "26200000000.00"
        acquirer {
          name
        }
        target {
          name
          country
        }
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}

# Completed deals over $5 billion in 2014–2019 (all conditions apply together).
query BigDeals {
  acquisitions(
    first: 20
    filter: {
      status: [COMPLETED]
      minPrice: "5000000000"
      currency: "USD"
      announcedFrom: "2014-01-01"
      announcedTo: "2019-12-31"
    }
    orderBy: { field: PRICE, direction: DESC }
  ) {
    edges {
      node {
        acquirer {
          name
        }
        target {
          name
        }
        price {
          amount
        }
      }
    }
  }
}

# Companies whose name contains the search text, with the ids Company takes.
query Companies($search: String) {
  companies(first: 10, search: $search) {
    edges {
      node {
        id
        name
        industry
      }
    }
  }
}

# A company with what it bought and who bought it.
# Variables: { "id": "<an id from Companies>" }
query Company($id: ID!) {
  company(id: $id) {
    name
    industry
    country
    foundedYear
    acquisitions(first: 20) {
      totalCount
      edges {
        node {
          announcedOn
          price {
            amount
            currency
          }
          target {
            name
          }
        }
      }
    }
    acquiredBy(first: 5) {
      edges {
        node {
          status
          acquirer {
            name
          }
        }
      }
    }
  }
}

mutation SignUp {
  signUp(input: { name: "Ada", email: "ada@example.com", password: "at least 8 chars" }) {
    user {
      id
      role
    }
    expiresAt
  }
}

query Me {
  me {
    id
    name
    email
    role
  }
}

mutation SignOut {
  signOut # then \`me\` is null again
}

mutation SignIn {
  signIn(input: { email: "ada@example.com", password: "at least 8 chars" }) {
    token
  }
}
`;

/**
 * The headers editor's first content. GraphiQL reads it as JSON with comments, so the example
 * header stays inert until uncommented: a placeholder token would be refused as UNAUTHENTICATED,
 * and the browser is already signed in by the cookie SignUp/SignIn set.
 */
export const defaultHeaders = `{
  // The cookie SignUp or SignIn sets signs this browser in.
  // To send a token or an API key instead, uncomment:
  // "Authorization": "Bearer <token or API key>"
}
`;
