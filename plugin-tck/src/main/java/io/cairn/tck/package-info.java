/** The contract test kit of the Cairn plugin API. */
package io.cairn.tck;
