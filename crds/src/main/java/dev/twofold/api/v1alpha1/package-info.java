/**
 * The {@code twofold.dev/v1alpha1} API as Java model: the CRD YAML is generated from these classes by
 * fabric8's crd-generator (see {@code crds/pom.xml}), so every field carries its description and validation here.
 *
 * <p>Spec and status types are records. Lists are never {@code null} (absent means empty), optional scalars and
 * optional nested objects are {@code null} when absent, and empty collections are left out when serialized.
 */
package dev.twofold.api.v1alpha1;
