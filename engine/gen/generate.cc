// SPDX-License-Identifier: Apache-2.0
// Synthetic organisations for scale tests (issue 8). Placeholder.
