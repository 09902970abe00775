/**
 * The contract test kit of the Cairn plugin API: a backend author extends {@link io.cairn.tck.BackendContract}
 * (or {@link io.cairn.tck.IncrementalBackendContract}, for a backend with incremental transfers) and
 * implements a small {@link io.cairn.tck.BackendFixture}; every case of the contract then runs against the
 * real backend. docs/PLUGIN-GUIDE.md says what each case holds the backend to.
 */
package io.cairn.tck;
