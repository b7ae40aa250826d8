# syntax=docker/dockerfile:1
# The one Twofold image: `twofold operator|webhook|agent [flags]` (README.md, "The image").
#
#   docker build -t twofold:0.1.0 .          # from the repository root: the Maven reactor is the build context
#
# Stage 1 builds the jars and a jlink'd Java runtime with image/assemble.sh, the same script
# image/verify-runtime.sh runs on machines without a container engine. Stage 2 is distroless: glibc, CA certificates,
# tzdata and a passwd entry for the nonroot user, no shell and no package manager.

ARG BUILD_IMAGE=maven:3.9-eclipse-temurin-25
ARG RUNTIME_IMAGE=gcr.io/distroless/base-nossl-debian12:nonroot

FROM ${BUILD_IMAGE} AS build
WORKDIR /src
# Maven reads every module's pom of the reactor (e2e's too) but builds only operator and what it needs. The local
# repository is a cache mount: a source change downloads nothing again.
COPY pom.xml ./
COPY e2e/pom.xml e2e/
COPY crds crds
COPY webhook webhook
COPY operator operator
COPY image image
RUN --mount=type=cache,target=/root/.m2 \
    image/assemble.sh /out/twofold

FROM ${RUNTIME_IMAGE}
LABEL org.opencontainers.image.title="Twofold" \
      org.opencontainers.image.description="MFA everywhere for Kubernetes: operator, admission/authorization webhook, node agent"
COPY --from=build /out/twofold /opt/twofold
# glibc keeps one malloc arena per thread by default: RSS for nothing in these small, mostly idle servers.
ENV MALLOC_ARENA_MAX=2 \
    LANG=C.UTF-8 \
    JAVA_TOOL_OPTIONS="-XX:+UseSerialGC -XX:MaxRAMPercentage=25 -XX:InitialRAMPercentage=10 -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=32m -XX:MaxMetaspaceSize=96m -Xss512k"
# UID/GID 65532 is distroless' "nonroot"; the chart runs it with a read-only root file system and /tmp an emptyDir.
USER 65532:65532
# The JVM writes nothing outside /tmp: no hsperfdata (-XX:-UsePerfData), temporary files in /tmp. These flags are
# not meant to be tuned; heap and compiler flags are, through JAVA_TOOL_OPTIONS (the chart sets them per component).
ENTRYPOINT ["/opt/twofold/java/bin/java", "-XX:-UsePerfData", "-XX:+ExitOnOutOfMemoryError", "-Djava.io.tmpdir=/tmp", \
            "-cp", "/opt/twofold/lib/*", "dev.twofold.operator.Launcher"]
CMD ["--help"]
