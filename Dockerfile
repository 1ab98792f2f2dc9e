# Builds the gateway jar and runs it on a JRE. Used by docker-compose.yml.
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
COPY test-support test-support
COPY token-filter token-filter
COPY routes routes
COPY tollgate-spring-boot-starter tollgate-spring-boot-starter
COPY gateway-app gateway-app
# listed in the root pom; not built here
COPY benchmarks/pom.xml benchmarks/pom.xml
# The demo page (demo profile only) imports the browser client; the build copies it into the jar.
COPY client-js/src client-js/src
RUN ./mvnw -B -q -DskipTests -pl gateway-app -am package && cp gateway-app/target/gateway-app-*[0-9T].jar /tollgate.jar

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 tollgate
USER tollgate
COPY --from=build /tollgate.jar /app/tollgate.jar
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/tollgate.jar"]
