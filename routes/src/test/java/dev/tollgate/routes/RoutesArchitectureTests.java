package dev.tollgate.routes;

import java.util.List;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package layout of {@code routes}, kept by the build: capability packages that
 * depend only on the ones below them, and {@code autoconfigure} on top, the one package
 * that reads {@code tollgate.*} properties and that no capability imports. A new package
 * has to take its place in {@link #LAYERS} before it can hold a class.
 */
class RoutesArchitectureTests {

	private static final String BASE = "dev.tollgate.routes";

	/**
	 * Bottom to top: each layer may depend on the layers before it, never on one after
	 * it.
	 */
	private static final List<String> LAYERS = List.of("client", "session", "http", "dpop", "observe", "login",
			"endpoint", "filter", "health", "autoconfigure");

	private static final JavaClasses CLASSES = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages(BASE);

	@Test
	void packagesWhenSlicedByCapabilityThenFreeOfCycles() {
		slices().matching(BASE + ".(*)..").should().beFreeOfCycles().check(CLASSES);
	}

	@Test
	void autoconfigureWhenDependedOnThenOnlyFromItself() {
		noClasses().that()
			.resideOutsideOfPackage(BASE + ".autoconfigure..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage(BASE + ".autoconfigure..")
			.check(CLASSES);
	}

	@Test
	void packagesWhenLayeredThenDependOnlyDownward() {
		LayeredArchitecture architecture = layeredArchitecture().consideringOnlyDependenciesInLayers()
			.withOptionalLayers(true);
		for (String layer : LAYERS) {
			architecture = architecture.layer(layer).definedBy(BASE + "." + layer + "..");
		}
		for (int i = 0; i < LAYERS.size(); i++) {
			List<String> below = LAYERS.subList(0, i);
			architecture = below.isEmpty() ? architecture.whereLayer(LAYERS.get(i)).mayNotAccessAnyLayer()
					: architecture.whereLayer(LAYERS.get(i)).mayOnlyAccessLayers(below.toArray(String[]::new));
		}
		architecture.check(CLASSES);
	}

	@Test
	void classesWhenInTheModuleThenInOneOfTheLayers() {
		String[] packages = LAYERS.stream().map((layer) -> BASE + "." + layer + "..").toArray(String[]::new);
		classes().should()
			.resideInAnyPackage(packages)
			.because("every package has its place among the layers " + LAYERS)
			.check(CLASSES);
	}

}
