# Lifeboat's container image: lifeboat-operator and drctl (also as kubectl-dr), built with the
# Swift toolchain and run on slim Debian as a non-root user. `make image` builds it with docker or
# podman. The Swift runtime is linked in statically (--static-swift-stdlib), so the runtime stage
# needs only the C libraries Lifeboat calls: libcurl (which brings libssl3's libcrypto), libyaml
# and libxml2, plus the CA certificates for TLS to AWS and the API server.
# Both stages are Debian 12 (bookworm), so the libraries the binaries were linked against are the
# ones they run with.
FROM swift:6.3-bookworm AS build
# The -dev packages scripts/bootstrap installs for a build.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libcurl4-openssl-dev libyaml-dev libssl-dev libxml2-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources/ Sources/
COPY Tests/ Tests/
RUN swift build -c release --static-swift-stdlib --product lifeboat-operator \
 && swift build -c release --static-swift-stdlib --product drctl \
 && install -D -m 0755 .build/release/lifeboat-operator /out/usr/local/bin/lifeboat-operator \
 && install -D -m 0755 .build/release/drctl /out/usr/local/bin/drctl \
 && ln -s drctl /out/usr/local/bin/kubectl-dr

FROM debian:bookworm-slim
ARG VERSION=0.1.0
LABEL org.opencontainers.image.title="lifeboat-operator" \
      org.opencontainers.image.description="Lifeboat: disaster recovery for whole applications on AWS, run from Kubernetes" \
      org.opencontainers.image.version="${VERSION}"
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libcurl4 libyaml-0-2 libxml2 ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 65532 lifeboat \
 && useradd --uid 65532 --gid 65532 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin lifeboat
COPY --from=build /out/ /
# The Deployment runs it as this user too (runAsUser: 65532) with a read-only root file system.
USER 65532:65532
# Kubernetes probes /healthz on the health port; a Docker HEALTHCHECK would duplicate them.
# checkov:skip=CKV_DOCKER_2: Kubernetes liveness and readiness probes check the operator; the image runs nowhere else
ENTRYPOINT ["/usr/local/bin/lifeboat-operator"]
