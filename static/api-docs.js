/* The API reference page (/api/docs): Swagger UI, from this server's
 * vendor files, on the OpenAPI document its element names in data-url
 * (an external script: the Content-Security-Policy allows no inline one). */
(function () {
	"use strict";
	var el = document.getElementById("api-reference");
	if (!el || typeof SwaggerUIBundle !== "function")
		return;
	SwaggerUIBundle({
		url: el.getAttribute("data-url"),
		domNode: el,
		deepLinking: true,
		validatorUrl: null, /* no document sent to a validator elsewhere */
		docExpansion: "none",
		defaultModelsExpandDepth: 0
	});
})();
