package dev.tollgate.backend.servlet;

import java.io.IOException;

import dev.tollgate.backend.security.AssertionProblem;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * Writes {@link AssertionProblem}s to a servlet response: 401 as Spring Security's entry
 * point (no assertion on a path that needs one, or a refused assertion) and 403 as its
 * access-denied handler.
 */
public final class AssertionProblemWriter implements AuthenticationEntryPoint, AccessDeniedHandler {

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException exception)
			throws IOException {
		write(response, AssertionProblem.unauthorized(exception));
	}

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException exception)
			throws IOException {
		write(response, AssertionProblem.forbidden());
	}

	private static void write(HttpServletResponse response, AssertionProblem problem) throws IOException {
		if (response.isCommitted()) {
			return;
		}
		response.resetBuffer();
		response.setStatus(problem.status());
		response.setContentType(AssertionProblem.CONTENT_TYPE);
		response.setHeader("Cache-Control", "no-store");
		if (problem.challenge() != null) {
			response.setHeader("WWW-Authenticate", problem.challenge());
		}
		response.setContentLength(problem.body().length);
		response.getOutputStream().write(problem.body());
		response.flushBuffer();
	}

}
