/**
 * The Node.js the service is built and shipped on (the Dockerfile's image), and what some
 * of its production dependencies (@whatwg-node, under graphql-yoga) declare they need.
 * The test suite also runs on Node 20.19+, where those packages work today, but nothing
 * promises they will keep doing so.
 */
export const supportedNode = { major: 22, minor: 15 };

/** Whether `version` (e.g. process.versions.node) is older than supportedNode. */
export function belowSupportedNode(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major < supportedNode.major || (major === supportedNode.major && minor < supportedNode.minor);
}
