# syntax=docker/dockerfile:1
# The LogPipeline operator image: the operator's shaded jar on a JRE, as a non-root user.
#   docker build -t logpipeline-operator:0.1.0 --build-arg REVISION=$(git rev-parse HEAD) .
#   docker run --rm logpipeline-operator:0.1.0 version

# --- build: package the operator (tests run in CI, not in the image build) ---
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# Maven reads every module's POM listed in the parent, even modules it does not build.
COPY pom.xml ./
COPY operator/pom.xml operator/
COPY elastic-compat/pom.xml elastic-compat/
COPY operator/src operator/src
# The cache mount keeps downloaded dependencies between builds (BuildKit).
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -pl operator -am package -DskipTests

# --- runtime: a JRE and the jar, nothing else ---
FROM eclipse-temurin:17-jre
ARG VERSION=0.1.0
ARG REVISION=unknown
LABEL org.opencontainers.image.title="logpipeline-operator" \
      org.opencontainers.image.description="Kubernetes operator: one LogPipeline resource becomes a Filebeat DaemonSet, a Strimzi KafkaTopic, a Logstash Deployment and an Elasticsearch/OpenSearch index template." \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.base.name="docker.io/library/eclipse-temurin:17-jre"
WORKDIR /app
# A shaded jar: every dependency is inside it.
COPY --from=build /src/operator/target/logpipeline-operator.jar /app/logpipeline-operator.jar
# Numeric, so the kubelet can enforce runAsNonRoot without looking the user up.
USER 10001:10001
# Prometheus metrics (/metrics) and probes (/healthz, /readyz).
EXPOSE 8080 8081
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/logpipeline-operator.jar"]
CMD ["run"]
