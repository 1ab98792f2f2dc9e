# Builds the gateway jar and runs it on a JRE, unpacked into Spring Boot's layers. Used by docker-compose.yml.
# Both images are pinned to Ubuntu noble: the compose health check relies on its curl (see docker-compose.yml).
FROM eclipse-temurin:17-jdk-noble AS build
WORKDIR /src

# Dependency layer: Maven, the wrapper and every module's pom, then every dependency and plugin the gateway's build
# needs. Rebuilt only when one of these files changes, not on a source change.
COPY .mvn .mvn
COPY mvnw pom.xml ./
COPY test-support/pom.xml test-support/
COPY token-filter/pom.xml token-filter/
COPY routes/pom.xml routes/
COPY tollgate-spring-boot-starter/pom.xml tollgate-spring-boot-starter/
COPY gateway-app/pom.xml gateway-app/
# listed in the root pom; never built here
COPY benchmarks/pom.xml benchmarks/
COPY benchmarks/peer-gateway/pom.xml benchmarks/peer-gateway/
RUN ./mvnw -B -q -pl gateway-app -am dependency:go-offline

# Sources (.dockerignore keeps target/ and node_modules/ out).
COPY test-support test-support
COPY token-filter token-filter
COPY routes routes
COPY tollgate-spring-boot-starter tollgate-spring-boot-starter
COPY gateway-app gateway-app
# The demo page (demo profile only) imports the browser client; the build copies it into the jar.
COPY client-js/src client-js/src
RUN ./mvnw -B -q -DskipTests -pl gateway-app -am package \
 && cp gateway-app/target/gateway-app-*[0-9T].jar /tollgate.jar \
 && java -Djarmode=tools -jar /tollgate.jar extract --layers --launcher --destination /layers

FROM eclipse-temurin:17-jre-noble
RUN useradd --system --uid 10001 tollgate
WORKDIR /app
# Least to most often changed, so that a code change rebuilds only the last, small layer.
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
USER tollgate
# 8080: the gateway; 9091: Actuator (management.server.port, MANAGEMENT_PORT)
EXPOSE 8080 9091
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
