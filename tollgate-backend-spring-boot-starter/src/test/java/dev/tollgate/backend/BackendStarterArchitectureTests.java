package dev.tollgate.backend;

import java.util.List;
import java.util.Map;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

/**
 * The package layout of the backend starter, kept by the build: capabilities that depend
 * only on the ones below them, the servlet and the reactive side apart from each other,
 * {@code autoconfigure} on top and imported by none, and nothing of the gateway: a
 * backend adds this module without Spring Cloud Gateway or Tollgate's gateway modules.
 */
class BackendStarterArchitectureTests {

	private static final String BASE = "dev.tollgate.backend";

	/** Each package and the packages it may use. */
	private static final Map<String, List<String>> LAYERS = Map.of("jwks", List.of(), "assertion", List.of("jwks"),
			"security", List.of("assertion"), "servlet", List.of("assertion", "security"), "reactive",
			List.of("assertion", "security"), "autoconfigure",
			List.of("jwks", "assertion", "security", "servlet", "reactive"));

	private static final JavaClasses CLASSES = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages(BASE);

	@Test
	void packagesWhenLayeredThenDependOnlyOnThoseBelow() {
		LayeredArchitecture architecture = layeredArchitecture().consideringOnlyDependenciesInLayers();
		for (String layer : LAYERS.keySet()) {
			architecture = architecture.layer(layer).definedBy(BASE + "." + layer + "..");
		}
		for (Map.Entry<String, List<String>> layer : LAYERS.entrySet()) {
			architecture = layer.getValue().isEmpty() ? architecture.whereLayer(layer.getKey()).mayNotAccessAnyLayer()
					: architecture.whereLayer(layer.getKey())
						.mayOnlyAccessLayers(layer.getValue().toArray(String[]::new));
		}
		architecture.check(CLASSES);
	}

	@Test
	void classesWhenInTheModuleThenInOneOfTheLayers() {
		String[] packages = LAYERS.keySet().stream().map((layer) -> BASE + "." + layer + "..").toArray(String[]::new);
		classes().should().resideInAnyPackage(packages).check(CLASSES);
	}

	@Test
	void classesWhenAnyThenNothingOfTheGateway() {
		noClasses().should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework.cloud..", "dev.tollgate.token..", "dev.tollgate.routes..",
					"dev.tollgate.starter..")
			.check(CLASSES);
	}

	@Test
	void servletSideWhenLoadedThenNeedsNoReactor() {
		noClasses().that()
			.resideInAnyPackage(BASE + ".jwks..", BASE + ".assertion..", BASE + ".security..", BASE + ".servlet..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("reactor..", "org.springframework.web.reactive..", "org.springframework.web.server..")
			.check(CLASSES);
	}

	@Test
	void reactiveSideWhenLoadedThenNeedsNoServletApi() {
		noClasses().that()
			.resideInAnyPackage(BASE + ".jwks..", BASE + ".assertion..", BASE + ".security..", BASE + ".reactive..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("jakarta.servlet..", "org.springframework.web.servlet..")
			.check(CLASSES);
	}

}
