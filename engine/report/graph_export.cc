// SPDX-License-Identifier: Apache-2.0
// Trust graph export for graph engines (GraphML, Neo4j CSV) (issue 8). Placeholder.
